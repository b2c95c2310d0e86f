"""The demo business and what its customers complain about.

Ridgeway Cycles: three bike shops with workshops and an online store whose desk also answers the
phone line, the chat widget and social media. Everything here is plain data; `builders.py` turns it
into a deterministic plan and `services.py` loads the plan through the case services.

Stories are templates: `{slot}` names are filled from `SLOTS` (and the case's store) per case.
"""

from __future__ import annotations

from dataclasses import dataclass

from makegood.accounts.models import Role

BUSINESS = "Ridgeway Cycles"
DEMO_PASSWORD = "makegood-demo"
INTEGRATION_USERNAME = "shop-integration"
INTEGRATION_TOKEN_NAME = "Online store chat widget"


@dataclass(frozen=True)
class DemoTeam:
    slug: str
    name: str
    location: str
    receives_unrouted: bool = False
    store: str = ""  # how customers name the shop in their stories


@dataclass(frozen=True)
class DemoStaff:
    username: str
    first_name: str
    last_name: str
    role: Role
    team_slug: str


ONLINE = "online-desk"
STORES = ("riverside-store", "old-town-store", "northgate-store")

TEAMS = (
    DemoTeam(ONLINE, "Online Desk", "Head office and warehouse, 2 Foundry Road", receives_unrouted=True),
    DemoTeam("riverside-store", "Riverside Store", "14 Quay Street", store="Riverside"),
    DemoTeam("old-town-store", "Old Town Store", "88 High Street", store="Old Town"),
    DemoTeam("northgate-store", "Northgate Store", "Unit 3, Northgate Retail Park", store="Northgate"),
)

STAFF = (
    DemoStaff("priya", "Priya", "Nair", Role.FRONTLINE, ONLINE),
    DemoStaff("tom", "Tom", "Becker", Role.FRONTLINE, ONLINE),
    DemoStaff("grace", "Grace", "Okafor", Role.MANAGER, ONLINE),
    DemoStaff("sam", "Sam", "Rivera", Role.FRONTLINE, "riverside-store"),
    DemoStaff("lucia", "Lucia", "Rossi", Role.FRONTLINE, "riverside-store"),
    DemoStaff("omar", "Omar", "Haddad", Role.MANAGER, "riverside-store"),
    DemoStaff("jake", "Jake", "Morrison", Role.FRONTLINE, "old-town-store"),
    DemoStaff("anya", "Anya", "Kowalski", Role.MANAGER, "old-town-store"),
    DemoStaff("kofi", "Kofi", "Mensah", Role.FRONTLINE, "northgate-store"),
    DemoStaff("hannah", "Hannah", "Lindqvist", Role.MANAGER, "northgate-store"),
    DemoStaff("ellen", "Ellen", "Park", Role.PROCESS_OWNER, ONLINE),
    DemoStaff("dana", "Dana", "Whitfield", Role.ADMINISTRATOR, ONLINE),
)

FIRST_NAMES = (
    "Aisha", "Ben", "Carmen", "Daniel", "Elif", "Farid", "Greta", "Hiro", "Imani", "Jonas", "Kavya", "Liam",
    "Marta", "Nkechi", "Oliver", "Paula", "Quinn", "Rosa", "Stefan", "Tariq", "Ursula", "Victor", "Wen",
    "Ximena", "Yusuf", "Zoe", "Adele", "Bilal", "Chloe", "Dmitri", "Esther", "Felix", "Gabriela", "Hamza",
    "Ingrid", "Jamal", "Keiko", "Luca", "Maya", "Nils", "Olu", "Priscilla", "Rafael", "Sofia", "Theo",
    "Valentina", "Will", "Yara", "Amir", "Beatrice", "Connor", "Divya", "Emeka", "Fiona", "George", "Hana",
)  # fmt: skip
LAST_NAMES = (
    "Abbott", "Banerjee", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Hughes", "Ivanova", "Jensen",
    "Khan", "Lopez", "Murphy", "Nakamura", "Osei", "Petrov", "Quinlan", "Rahman", "Schmidt", "Tanaka",
    "Uzoma", "Varga", "Walsh", "Xu", "Yilmaz", "Zielinski", "Adeyemi", "Brennan", "Costa", "Delgado",
    "Evans", "Fernandes", "Gallagher", "Haddad", "Iqbal", "Johansson", "Kim", "Larsen", "Mendes", "Novak",
    "O'Connor", "Patel", "Reyes", "Sato", "Thompson", "Ward", "Young", "Zhang",
)  # fmt: skip
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")
AREA_CODES = ("212", "312", "415", "503", "617", "646", "718", "720", "773", "917", "206", "512")

# Values for the `{slot}`s of the stories, promises and resolutions.
SLOTS: dict[str, tuple[str, ...]] = {
    "bike": (
        "Trailmaster 29 mountain bike",
        "Cityline 7 hybrid",
        "Aero SL road bike",
        "Gravel GRX 2",
        "Commuter 3 hybrid",
        "Summit 27.5 hardtail",
        "Tourer 500",
        "Fixie Classic",
    ),
    "ebike": ("Volta City e-bike", "Volta Trail e-MTB", "Cargo Carry e-bike", "Folda e-folding bike"),
    "kid_bike": ("Pebble 16 kids' bike", "Pebble 20 kids' bike", "Sprout balance bike"),
    "part": (
        "rear derailleur",
        "chain",
        "cassette",
        "front brake caliper",
        "bottom bracket",
        "headset",
        "rear wheel",
        "brake levers",
        "crankset",
    ),
    "accessory": (
        "helmet",
        "D-lock",
        "pair of pannier bags",
        "bike computer",
        "floor pump",
        "front and rear light set",
        "child seat",
        "turbo trainer",
        "rain jacket",
        "pair of cycling shoes",
    ),
    "amount": ("$34.99", "$59.00", "$89.50", "$120.00", "$149.99", "$249.00", "$415.00", "$649.00", "$1,299.00"),
    "order": tuple(f"RC-{n}" for n in (481203, 481977, 483310, 484052, 485619, 486244, 487730, 488105, 489462)),
    "days": ("five", "six", "eight", "ten", "twelve", "fourteen", "nineteen"),
    "weeks": ("two", "three", "four", "five", "six"),
    "hours": ("two", "three", "four", "five"),
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"),
    "colour": ("matte black", "forest green", "pearl white", "burnt orange", "navy blue"),
    "other_colour": ("bright red", "silver", "yellow", "sky blue"),
    "size": ("S", "M", "L", "XL"),
    "other_size": ("XS", "S", "M", "L"),
    "years": ("three", "five", "eight", "ten", "fifteen"),
    "minutes": ("25", "35", "40", "50"),
}


@dataclass(frozen=True)
class Complaint:
    """One kind of complaint: where it arrives, what the customer says, and how it is put right."""

    key: str
    channels: tuple[str, ...]
    subject: str
    story: str
    expectations: tuple[str, ...]  # "" = the customer did not say
    promise: str  # the owner's first concrete step, in their words
    resolutions: tuple[str, ...]


WEB, EMAIL, PHONE, IN_PERSON, CHAT, SOCIAL = "web", "email", "phone", "in_person", "chat", "social"
ONLINE_CH = (WEB, EMAIL, CHAT, PHONE, SOCIAL)
STORE_CH = (IN_PERSON, PHONE, EMAIL)

COMPLAINTS: tuple[Complaint, ...] = (
    Complaint(
        "parcel_missing",
        ONLINE_CH,
        "Order {order} never arrived",
        "I ordered a {accessory} on your website {days} days ago (order {order}). Tracking has said 'out for "
        "delivery' since {weekday} and nothing has turned up. I've asked the neighbours and checked the parcel room.",
        ("Send it again or refund me.", "Find the parcel or refund the {amount}.", ""),
        "I've opened a trace with the courier and I'll update you by noon tomorrow either way.",
        (
            "The courier confirmed the parcel was lost. Sent a replacement by express at our cost and refunded the "
            "delivery fee.",
            "Parcel found at the courier's depot and delivered the next morning; delivery refunded.",
        ),
    ),
    Complaint(
        "wrong_frame_size",
        (WEB, EMAIL, CHAT, PHONE),
        "Wrong frame size delivered",
        "I ordered the {bike} in size {size} after using your size guide, and the box that arrived has a size "
        "{other_size} frame in it. The label on the box says {size}. I'd planned to ride it this weekend.",
        ("Swap it for the right size and collect the wrong one.", "Exchange it this week, please.", ""),
        "I've reserved a size {size} for you and booked the courier to swap them on the same visit.",
        (
            "Swapped for the correct size on {weekday}; the courier collected the wrong frame at the same time.",
            "Customer chose to collect the right size from Riverside; added a free first service.",
        ),
    ),
    Complaint(
        "ebike_battery",
        (WEB, EMAIL, PHONE, IN_PERSON, CHAT),
        "E-bike battery no longer holds a charge",
        "My {ebike} is {weeks} weeks old and the battery now dies after about 8 km. It was doing 60 km when new. "
        "I charge it exactly as the manual says. I bought an e-bike so I could stop driving to work.",
        ("A new battery under warranty.", "A loan bike while it's fixed, and a working battery.", ""),
        "I've booked a battery diagnostic for tomorrow morning and set aside a loan e-bike for you.",
        (
            "Diagnostic showed a faulty cell pack; battery replaced under warranty and loan bike returned.",
            "Battery replaced same day from stock; customer also got a free charger check.",
        ),
    ),
    Complaint(
        "repair_overdue",
        STORE_CH,
        "Service promised in three days, still waiting",
        "I left my {bike} at your {store} workshop for a service {weeks} weeks ago and was told three days. "
        "Every time I call I'm told 'tomorrow'. I cycle to work and I've been paying for the bus.",
        ("My bike back this week and the bus fares covered.", "Finish it or give it back as it is.", ""),
        "I've asked the workshop to put your bike first in the queue and I'll call you the moment it's on the stand.",
        (
            "Bike serviced and ready the next day; refunded the service charge and the bus fares.",
            "Service finished; waived the labour cost as an apology for the delay.",
        ),
    ),
    Complaint(
        "charged_twice",
        (WEB, EMAIL, CHAT, PHONE),
        "I was charged twice",
        "My card was charged {amount} twice for one order ({order}). My bank shows both payments as settled, "
        "not pending. That's money I need this month.",
        ("Refund the duplicate payment today.", "Refund the second charge.", ""),
        "I've found the duplicate payment and asked our payments team to refund it today.",
        (
            "Duplicate charge refunded the same day; sent the customer the refund reference.",
            "Refunded the second payment and added a $10 voucher for the trouble.",
        ),
    ),
    Complaint(
        "refund_missing",
        (EMAIL, WEB, PHONE, CHAT),
        "Refund not received",
        "I returned a {accessory} {days} days ago and your returns page says refunds take five days. I still "
        "haven't got my {amount} back and nobody replies to the returns address.",
        ("My refund, now.", "Tell me when the refund will arrive.", ""),
        "I can see your return arrived; I'm processing the refund myself now and will send you the confirmation.",
        (
            "Refund processed; the return had been stuck in a warehouse queue. Confirmation sent.",
            "Refunded in full; explained the delay and fixed the returns mailbox rule.",
        ),
    ),
    Complaint(
        "rude_staff",
        (IN_PERSON, PHONE, SOCIAL, EMAIL),
        "Treated rudely at the counter",
        "I asked a question about my gears at your {store} store and the man at the counter rolled his eyes and "
        "said I should have read the manual. I've been a customer for {years} years and I felt stupid.",
        ("An apology.", "I want the manager to know how I was treated.", ""),
        "I'm sorry; that is not how we treat anyone. I'm speaking to the team today and I'll sort out your gears.",
        (
            "Manager apologised in person, adjusted the gears for free and coached the colleague.",
            "Apologised by phone; customer accepted a free gear tune-up.",
        ),
    ),
    Complaint(
        "click_collect",
        (IN_PERSON, PHONE, WEB, EMAIL),
        "Click and collect order not ready",
        "I got an e-mail saying my {accessory} was ready to collect at {store}. I drove 40 minutes, and the staff "
        "couldn't find it and told me to come back another day.",
        ("Deliver it to my home.", "Refund my fuel and have it ready.", ""),
        "I've found your order in the stockroom and arranged free delivery to your home tomorrow.",
        (
            "Delivered to the customer's home the next day with a $15 voucher.",
            "Order found; customer collected it with a fuel refund.",
        ),
    ),
    Complaint(
        "damaged_delivery",
        (WEB, EMAIL, CHAT, SOCIAL),
        "Bike arrived damaged",
        "The {bike} arrived with the box crushed at one end. The rear derailleur hanger is bent and the top tube "
        "is scratched through the paint. I have photos of the box as it arrived.",
        ("A new bike, not a repaired one.", "Replace it or refund {amount}.", ""),
        "I'm sorry it arrived like that. I've reserved a new one and booked the courier to swap them.",
        (
            "Replaced with a new bike; damaged one collected and claimed from the courier.",
            "Customer kept the bike with a $150 refund and a new hanger fitted free.",
        ),
    ),
    Complaint(
        "brake_after_service",
        STORE_CH,
        "Front brake failed after your service",
        "Two days after your {store} workshop serviced my {bike}, the front brake lever went to the bar on a "
        "descent. I stopped with my feet and nearly went into a car. This could have been much worse.",
        ("I want to know what went wrong and the brakes fixed properly.", "A full refund of the service.", ""),
        "I'm so sorry. Please don't ride it: I'm sending someone to collect the bike today and the head mechanic "
        "will inspect it.",
        (
            "The brake hose had been fitted without the olive; refitted and bled, service refunded, workshop "
            "checklist changed.",
            "Brakes rebuilt by the head mechanic; full refund and a written explanation.",
        ),
    ),
    Complaint(
        "quote_exceeded",
        STORE_CH,
        "Charged far more than the quote",
        "I was quoted {amount} to fix my {part}. When I collected the bike the bill was almost double and nobody "
        "called to ask before doing the extra work.",
        ("Charge me what I was quoted.", "Refund the difference.", ""),
        "You're right that we should have called first. I'm refunding everything above the quote.",
        ("Refunded the difference above the quote; the workshop now calls before any extra work.",),
    ),
    Complaint(
        "missing_accessories",
        (IN_PERSON, PHONE),
        "Lights missing after service",
        "My front and rear lights and the bottle cage were on the bike when I left it at {store}. When I picked it "
        "up they were gone, and the staff said they'd never seen them.",
        ("Find them or replace them.", ""),
        "I've asked the workshop to search the stands and lockers today; if they're not found we'll replace them.",
        (
            "Lights found in the workshop's parts bin and returned; bottle cage replaced.",
            "Not found; replaced the lights and cage with the same models.",
        ),
    ),
    Complaint(
        "scratched_frame",
        STORE_CH,
        "Frame scratched in your workshop",
        "After the service at {store} my {bike} has a deep scratch on the top tube where the stand clamp goes. "
        "It was perfect when I dropped it off; I have photos from that morning.",
        ("Repair the paint professionally.", "Compensation for the damage.", ""),
        "I've looked at your photos and I agree. I'm getting a quote from our paint repairer today.",
        (
            "Paint repaired professionally at our cost; clamp pads replaced on all stands.",
            "Customer accepted a $120 credit instead of a repair.",
        ),
    ),
    Complaint(
        "appointment_cancelled",
        (PHONE, EMAIL, WEB, IN_PERSON),
        "Bike fit cancelled without telling me",
        "I booked a bike fit at {store} for {weekday} and took the morning off work. When I arrived they told me "
        "the fitter was off and the booking had been cancelled. Nobody told me.",
        ("Rebook me at a time that suits me, free.", "Refund the deposit.", ""),
        "I've rebooked you with our senior fitter at the time you choose, at no charge.",
        ("Fit rebooked and done free of charge; deposit refunded.",),
    ),
    Complaint(
        "on_hold",
        (PHONE, EMAIL, SOCIAL),
        "On hold for {minutes} minutes",
        "I called about my order {order} and was on hold for {minutes} minutes before the line cut off. I called "
        "again and it rang out. Is anyone actually answering the phone?",
        ("Call me back today.", "Someone to answer my question about the order.", ""),
        "Sorry for the wait. I've checked order {order}: it ships tomorrow, and I'll call you when it does.",
        ("Called back with the tracking number; order arrived two days later.",),
    ),
    Complaint(
        "emails_unanswered",
        (EMAIL, WEB, SOCIAL),
        "Three e-mails and no answer",
        "This is my third message about the warranty on my {bike}. The first was {weeks} weeks ago. I have had no "
        "reply at all, not even an automatic one.",
        ("A reply from a real person.", "Someone to deal with my warranty claim.", ""),
        "I've found your earlier messages and I'm handling the warranty claim myself from now on.",
        ("Warranty claim approved and part fitted; messages had gone to an old mailbox, now redirected.",),
    ),
    Complaint(
        "price_match",
        (IN_PERSON, PHONE, CHAT),
        "Price promise refused",
        "Your website advertises a price promise. I showed the staff the {accessory} for {amount} less at another "
        "shop and they refused, saying online prices don't count. The advert says they do.",
        ("Honour the price promise.", ""),
        "You're right, the promise includes online prices. I've applied the lower price.",
        ("Price matched and the difference refunded; staff briefed on the price promise.",),
    ),
    Complaint(
        "gift_card",
        (IN_PERSON, WEB, CHAT, PHONE),
        "Gift card declined",
        "My gift card was a present and it was declined at checkout with 'invalid card'. It has {amount} on it "
        "according to your balance checker.",
        ("Make the card work.", "Give me the balance another way.", ""),
        "I've checked the card: it was never activated at the till. I've activated it now.",
        ("Card activated; customer completed their purchase the same day.",),
    ),
    Complaint(
        "warranty_rejected",
        (EMAIL, WEB, IN_PERSON),
        "Warranty claim rejected as 'misuse'",
        "The chainstay on my {bike} cracked after {weeks} weeks of riding to work on roads. Your workshop rejected "
        "the warranty claim as misuse without even sending it to the manufacturer.",
        ("Send the claim to the manufacturer.", "A new frame under warranty.", ""),
        "I've sent your claim to the manufacturer with the photos and asked for an answer within five days.",
        (
            "Manufacturer approved the claim; new frame fitted and the bike rebuilt free.",
            "Claim approved; customer chose a credit toward a new bike.",
        ),
    ),
    Complaint(
        "kids_bike_parts",
        (WEB, EMAIL, CHAT),
        "Birthday bike missing parts",
        "I ordered the {kid_bike} for my daughter's birthday on {weekday}. The box came without the pedals or the "
        "bolts for the handlebars, so it can't be ridden. She was very upset.",
        ("Send the parts before the weekend.", "Send the missing parts by express.", ""),
        "I'm sending the pedals and bolts by express today, and a little something for the birthday girl.",
        ("Parts delivered next day by express with a bell and stickers for the child.",),
    ),
    Complaint(
        "wrong_colour",
        (WEB, CHAT, EMAIL),
        "Wrong colour sent",
        "I ordered the {bike} in {colour} and received it in {other_colour}. I chose this bike because of the colour.",
        ("Exchange it for the colour I ordered.", ""),
        "I've reserved one in {colour} and booked the exchange for the day that suits you.",
        ("Exchanged for the right colour; courier collected the other bike.",),
    ),
    Complaint(
        "sold_out_after_payment",
        (WEB, EMAIL, CHAT, PHONE),
        "Paid, then told it's out of stock",
        "I paid {amount} for a {bike} that showed as in stock. Three days later I got an e-mail saying it's "
        "back-ordered for eight weeks. I would never have bought it if I'd known.",
        ("Refund me now.", "Find me one from another store.", ""),
        "I've found one in our Northgate stock and can have it delivered this week, or refund you today.",
        ("Delivered from Northgate stock within four days.", "Customer chose a full refund, issued the same day."),
    ),
    Complaint(
        "motor_noise",
        (IN_PERSON, PHONE, EMAIL, WEB),
        "E-bike motor grinding",
        "The motor on my {ebike} makes a grinding noise under load. The {store} workshop said it's normal. It "
        "wasn't doing it for the first month and it's getting louder.",
        ("A proper inspection by someone who knows the motors.", "A replacement motor.", ""),
        "I've booked a motor diagnostic with our certified technician and a loan bike for the day.",
        ("Motor bearing failure confirmed; motor replaced under warranty.",),
    ),
    Complaint(
        "loyalty_points",
        (WEB, CHAT, EMAIL),
        "Loyalty points missing",
        "I bought a {bike} in store and gave my loyalty number, but the points never appeared on my account. "
        "That's about {amount} of points.",
        ("Add my points.", ""),
        "I've found the purchase and added the points by hand; they'll show within the hour.",
        ("Points added; till software fix reported to IT.",),
    ),
    Complaint(
        "cycle_to_work",
        (EMAIL, PHONE, IN_PERSON),
        "Cycle to work voucher refused",
        "My employer's cycle to work voucher was refused at {store}, even though you're listed as a partner shop. "
        "The voucher expires at the end of the month.",
        ("Accept the voucher before it expires.", ""),
        "I've checked with the scheme and the voucher is valid. I've told the store and reserved your bike.",
        ("Voucher accepted; bike collected two days before the expiry date.",),
    ),
    Complaint(
        "return_refused",
        (IN_PERSON, PHONE, EMAIL, SOCIAL),
        "Return refused because the box was opened",
        "I tried to return an unused {accessory} within the 30 days and was refused because I'd opened the box. "
        "You can't check the size without opening the box.",
        ("Accept the return.", "Exchange it for the right size.", ""),
        "You're right; opening the box to try it is fine. I've authorised the return.",
        ("Return accepted and refunded; returns guidance to stores clarified.",),
    ),
    Complaint(
        "left_outside",
        (WEB, EMAIL, SOCIAL, CHAT),
        "Bike left outside in the rain",
        "The courier left my {bike} outside the front door in the rain while I was at work, without even "
        "knocking. The box was soaked through when I got home.",
        ("Check it's not damaged.", "Use a different courier.", ""),
        "I'm sorry. I've arranged a free safety check at your nearest store and raised it with the courier.",
        ("Safety check found no damage; courier complaint upheld and delivery fee refunded.",),
    ),
    Complaint(
        "no_callback",
        (PHONE, EMAIL, SOCIAL),
        "Promised call back never came",
        "On {weekday} I was promised a call back within the hour about my {part}. Nobody called. I waited in all "
        "afternoon.",
        ("Call me.", "An answer today.", ""),
        "I'm calling you myself this afternoon with the answer about your {part}.",
        ("Called back; part ordered and fitted that week.",),
    ),
    Complaint(
        "store_closed",
        (SOCIAL, EMAIL, PHONE),
        "Store closed during opening hours",
        "Your website says {store} is open until 6 on {weekday}s. I got there at 5.15 and the shutters were down. "
        "No sign on the door.",
        ("Keep the opening hours you advertise.", ""),
        "I'm sorry for the wasted trip. I've checked with the store what happened and corrected the hours.",
        ("Store had closed early for a staff shortage; hours page updated and a note process agreed.",),
    ),
    Complaint(
        "checkout_error",
        (WEB, CHAT, EMAIL),
        "Website error but money taken",
        "The checkout page showed an error, so I don't know if my order went through, but {amount} has left my "
        "account. No confirmation e-mail.",
        ("Tell me if I have an order.", "Either confirm the order or refund me.", ""),
        "I can see the payment; the order didn't complete. I've created it by hand and sent you the confirmation.",
        ("Order created by hand and shipped; checkout bug reported.",),
    ),
    Complaint(
        "tubeless_leak",
        STORE_CH,
        "Tubeless set-up keeps going flat",
        "You set up my wheels tubeless at {store} last week. Both tyres are flat every morning. I paid {amount} "
        "for this.",
        ("Redo it properly.", "Refund the set-up.", ""),
        "I've booked you in for tomorrow morning with our wheel specialist, free of charge.",
        ("Rim tape had been fitted wrongly; redone free and the set-up fee refunded.",),
    ),
    Complaint(
        "trade_in",
        (IN_PERSON, EMAIL, PHONE),
        "Trade-in value changed on the day",
        "I was offered {amount} for my old bike as trade-in by e-mail. When I brought it in, {store} offered half "
        "that, for a bike in exactly the condition I described.",
        ("Honour the offer I was given.", ""),
        "I've seen the written offer and we'll honour it.",
        ("Trade-in honoured at the original value.",),
    ),
    Complaint(
        "rental_flat",
        (IN_PERSON, PHONE, SOCIAL),
        "Rental bike punctured within an hour",
        "We hired two bikes from {store} for a family ride. One got a flat after an hour; there was no repair kit "
        "in the bag and nobody answered the number on the tag.",
        ("A refund of the hire.", ""),
        "I'm sorry your ride was spoiled. I'm refunding the hire and checking every rental bag today.",
        ("Hire refunded; repair kits added to every rental bag and the tag number fixed.",),
    ),
    Complaint(
        "wrong_part",
        STORE_CH,
        "Wrong chain fitted",
        "The new chain your workshop fitted at {store} skips under load. Another shop told me it's the wrong speed "
        "for my cassette.",
        ("Fit the right chain.", "Pay for the other shop's check.", ""),
        "I've checked your job card and we did fit the wrong chain. Bring it in any time and we'll fix it while "
        "you wait.",
        ("Correct chain fitted while the customer waited; refunded the other shop's fee.",),
    ),
    Complaint(
        "assembly_poor",
        (IN_PERSON, PHONE, EMAIL, WEB),
        "Bike assembled badly",
        "The handlebar on my new {bike} came loose on my second ride. The stem bolts were barely finger tight. "
        "Your shop assembled it.",
        ("A full safety check.", ""),
        "That should never happen. I've booked a full safety check with our senior mechanic.",
        ("Full check done; stem re-torqued and the assembly checklist tightened.",),
    ),
    Complaint(
        "missed_delivery_slot",
        (WEB, EMAIL, CHAT, PHONE),
        "Delivery slot missed",
        "I booked the 8-12 delivery slot on {weekday} for my {bike} and stayed home. Nothing came and nobody told "
        "me why.",
        ("A guaranteed slot and the delivery fee back.", ""),
        "I've booked a guaranteed morning slot and refunded the delivery fee.",
        ("Delivered in the guaranteed slot; fee refunded.",),
    ),
    Complaint(
        "unsubscribe_ignored",
        (EMAIL, WEB, SOCIAL),
        "Still getting marketing e-mails",
        "I unsubscribed from your newsletter {weeks} weeks ago and I still get two e-mails a week. I'd like to "
        "know what data you hold about me.",
        ("Stop the e-mails.", "A copy of my data.", ""),
        "I've removed you from every mailing list and asked our data team for a copy of what we hold.",
        ("Removed from all lists; data copy sent within the week.",),
    ),
    Complaint(
        "social_reply",
        (SOCIAL,),
        "Your social media reply was rude",
        "I posted about my late order and your account replied 'have you tried reading the delivery page?' in "
        "front of everyone.",
        ("An apology.", ""),
        "That reply was wrong and I'm sorry. I've removed it and I'm looking at your order now.",
        ("Public apology posted; order tracked and delivered.",),
    ),
    Complaint(
        "access_blocked",
        (IN_PERSON, EMAIL, SOCIAL),
        "Accessible entrance blocked",
        "I use a wheelchair and the step-free entrance at {store} was blocked by a display of bikes. I had to wait "
        "outside until someone noticed me.",
        ("Keep the entrance clear.", ""),
        "I'm very sorry. The display has been moved today and I've asked the manager to check it every morning.",
        ("Display moved permanently; entrance added to the opening checklist.",),
    ),
    Complaint(
        "recall_not_told",
        (EMAIL, PHONE, WEB),
        "Nobody told me about the recall",
        "I read in the news that the fork on the {bike} is being recalled. I bought mine from you and you have my "
        "details, but nobody contacted me.",
        ("Replace the fork.", "Tell me if my bike is affected.", ""),
        "I've checked your frame number: it is affected. I've booked the free fork replacement.",
        ("Fork replaced under the recall; recall contact list checked against sales.",),
    ),
    Complaint(
        "invoice_wrong",
        (EMAIL, WEB),
        "Invoice has the wrong company name",
        "The invoice for order {order} has the wrong company name, so our accounts team can't pay it.",
        ("A corrected invoice.", ""),
        "I've corrected the invoice and sent it to you.",
        ("Corrected invoice sent.",),
    ),
    Complaint(
        "long_queue",
        (IN_PERSON, SOCIAL),
        "Queued {minutes} minutes to pay",
        "On {weekday} there was one person on the till at {store} and I queued {minutes} minutes to pay for a "
        "{accessory}.",
        ("More staff at weekends.", ""),
        "You shouldn't have had to wait that long. I've shared it with the store manager.",
        ("Weekend rota changed to add a second till.",),
    ),
    Complaint(
        "upsell",
        STORE_CH,
        "Pushed into parts I didn't need",
        "I came in for a puncture and was told I needed a new {part} and cassette. Another mechanic says they were "
        "fine.",
        ("Refund the parts.", ""),
        "I've looked at the job card and I'm refunding the parts.",
        ("Parts refunded and the workshop's advice process reviewed.",),
    ),
    Complaint(
        "assembly_fee",
        (WEB, EMAIL, CHAT),
        "Charged for assembly that wasn't done",
        "I paid a {amount} assembly fee but the {bike} arrived in a box, unassembled.",
        ("Refund the fee.", "Assemble it.", ""),
        "I've refunded the assembly fee and offered a free build at your nearest store.",
        ("Fee refunded; customer had the bike built free at Old Town.",),
    ),
    Complaint(
        "chat_disconnect",
        (CHAT, EMAIL),
        "Chat disconnected twice",
        "Your chat dropped me twice while I was asking about my order {order}, and the second time it closed the "
        "conversation.",
        ("Someone to answer my question.", ""),
        "I've checked order {order} and answered your question.",
        ("Answered by e-mail; chat timeout reported to the vendor.",),
    ),
    Complaint(
        "sizing_advice",
        (IN_PERSON, EMAIL, PHONE),
        "Sold the wrong size",
        "Staff at {store} told me a size {size} was right for me. After {weeks} weeks my back hurts and a fitter "
        "says it's a size too big.",
        ("An exchange.", ""),
        "I've asked the store to arrange a free fit and an exchange.",
        ("Exchanged for the right size after a free fit.",),
    ),
)

# Closing lines customers add to their stories now and then.
CLOSERS = (
    "This is the second time something like this has happened.",
    "I've been a customer for {years} years.",
    "Please sort this out.",
    "I'm really disappointed.",
    "I've recommended you to friends, so this is embarrassing.",
)

# Further messages from customers, by moment.
CHASERS = (
    "Is anyone reading these? I'm still waiting for a reply.",
    "Second message: can someone please get back to me today.",
    "I'd appreciate at least an answer. It has been hours.",
    "Hello? Still nothing.",
)
AFTER_RESPONSE = (
    "Thanks for getting back to me. {weekday} works for me.",
    "OK, thank you. Please keep me posted.",
    "Thanks. For reference the order number is {order}.",
    "Thanks, I appreciate the quick answer.",
)
AFTER_RESOLUTION = (
    "All sorted, thank you for handling this so quickly.",
    "Got it today. Thanks for sticking with it.",
    "Thank you, that's more than fair.",
)
APOLOGIES = (
    "this is not the experience we want you to have",
    "you should not have had to chase us",
    "this should never have happened",
    "I understand how frustrating this is",
)
