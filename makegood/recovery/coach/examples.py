"""The table of examples: the documentation of each rule, and every row is a test (tests/test_coach.py).

Each example names the excerpts its rule flags in the text, in order, or none ("leaves it alone").
The rows are written for this project; real replies measured in `bench/coach.py` stay out of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from makegood.recovery.coach.rules import Rule


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    flagged: tuple[str, ...]  # the excerpts this rule flags, in order; () for "leaves it alone"
    first_reply: bool = False
    closing: bool = False
    explanation_requested: bool = False


def _ex(text: str, *flagged: str, first_reply: bool = False, closing: bool = False, asked: bool = False) -> Example:
    return Example(text, flagged, first_reply, closing, asked)


EXAMPLES: Final[dict[Rule, tuple[Example, ...]]] = {
    Rule.SAYS_NO: (
        _ex("No, we can't refund a sale item.", "No", "can't"),
        _ex("Unfortunately we can\u2019t change the name on the ticket.", "Unfortunately we can\u2019t"),
        _ex("We cannot offer a discount.", "cannot"),
        _ex("I cant do that.", "cant"),
        _ex("The manager won't approve it.", "won't"),
        _ex("We are unable to hold the room.", "unable to"),
        _ex("That's not possible after check-in.", "not possible"),
        _ex("It is against our policy to refund opened software.", "against our policy"),
        _ex(
            "We don't offer refunds on flights, and we don't do exceptions.", "We don't offer", "we don't do exceptions"
        ),
        _ex("I'm afraid there's nothing we can do.", "I'm afraid", "nothing we can do"),
        _ex("Sorry, no. No refunds after 30 days.", "no", "No refunds"),
        _ex("Changing the date is impossible.", "impossible"),
        _ex("Pets are not allowed in the rooms.", "not allowed"),
        _ex("This fare is non-refundable.", "non-refundable"),
        _ex("Your claim has been declined.", "claim has been declined"),
        _ex("The ticket can't be refunded.", "can't be refunded"),
        _ex("No problem at all! No worries, there's no charge for that."),
        _ex("I can't wait to help, and it won't take long."),
        _ex("Nothing wrong with asking! Don't worry."),
        _ex("I know, not good enough. You won't be charged, and this won't happen again."),
        _ex("I understand you can't log in. If we can't repair it, we'll replace it."),
        _ex("We were unable to reach you by phone yesterday."),
        _ex("It must have felt impossible to get through to us."),
        _ex("I can't imagine how frustrating that was."),
        _ex("No, you're not being unreasonable at all."),
        # The shape of a refusal, whatever its words: the company withholding, restricting, not knowing.
        _ex("We don't track gift card balances.", "We don't track"),
        _ex("We only ship to UK addresses.", "We only ship"),
        _ex("There's no information to share yet.", "There's no information"),
        _ex("No ETA as of now, I'm afraid.", "No ETA"),
        _ex("That model is no longer available.", "no longer available"),
        _ex("I couldn't find an order under that e-mail address.", "couldn't find"),
        _ex("Unfortunately, this has to be done in person.", "has to be done in person"),
        _ex("The 6pm is fully booked, I'm afraid.", "is fully booked"),
        _ex("You wouldn't get those perks with another airline.", "You wouldn't get"),
        _ex("I'm sorry you feel that way, but we do follow the safety rules.", "we do follow"),
        _ex("We do offer free collection, so I've booked a van for Tuesday."),
        _ex("If we don't have your size, we'll order it in."),
        _ex("The sale is only on until Sunday, so I've applied the discount now."),
        _ex("Sadly the parcel didn't arrive in time, so I've sent a voucher."),
        # The quiet no: put off to an unnamed future, narrowed to others, conceded, defended, another language.
        _ex(
            "Hopefully we'll have the blue one in stock again soon.",
            "Hopefully we'll have the blue one in stock again",
        ),
        _ex("We hope to bring gift wrapping back at some point.", "We hope to bring gift wrapping back at some point"),
        _ex("Only certain branches offer key cutting.", "Only certain"),
        _ex("There are only a few designated parking bays at the depot.", "only a few designated"),
        _ex("There are only two seats left, so I've held one for you."),
        _ex("We provide phone support in English only.", "We provide phone support in English only"),
        _ex("While we do our best to seat families together, it is just a request.", "While we do our best to"),
        _ex("Our delivery charges are comparable to other retailers.", "are comparable to other"),
        _ex("Das können wir leider nicht ändern.", "können wir leider nicht"),
        _ex("Lo siento, no podemos cambiar la fecha.", "no podemos"),
        _ex("Hopefully we'll see you again in the future!"),
        _ex("We hope to have you back on board soon."),
        _ex("Only the specific steps below are needed, and I've done the first one."),
        _ex("While we look into it, here's a voucher for your trouble."),
        _ex("I answered in English because your message was in English; I'm happy to switch."),
        _ex("Wenn die App nicht startet, melde dich gern hier."),
        _ex("Das Paket ist leider nicht angekommen, ich schicke dir ein neues."),
        _ex("I can help in Spanish too, if you prefer."),
        _ex("Hopefully we'll have it fixed at some point today; I'll update you by noon."),
        _ex("Hopefully it'll be back in stock again next week, and I've reserved one for you."),
        _ex("Only specific flights were affected, and yours is on time."),
        _ex("Our prices are comparable to other stores, and I've applied a discount anyway."),
        _ex("While we'd love to hear more, could you DM us your order number?"),
        _ex("While we try our best to answer quickly, today's been busy: thanks for your patience!"),
        _ex("Hopefully this won't happen again in the future."),
        _ex("There's only one way to find out: let's test it together!"),
        # The policy recital: a rule, a requirement or a definition that withholds or corrects, and nothing
        # offered besides (no action of ours, no question, no invitation).
        _ex("Next-day delivery refers to the next working day after dispatch.", "Next-day delivery refers to"),
        _ex("Unlimited calls means calls to UK landlines and mobiles only.", "Unlimited calls means"),
        _ex(
            "Any charges you see on your statement are either pending holds or authorisations.",
            "Any charges you see on your statement are either",
        ),
        _ex("Please note that refunds must be requested within 14 days of delivery.", "must be requested"),
        _ex("Changes must be made at least 24 hours before departure.", "must be made"),
        _ex("The voucher is limited to one per customer.", "voucher is limited to"),
        _ex("Free delivery applies only to orders over \u00a340.", "Free delivery applies only to"),
        _ex("The lounge is reserved for Gold members.", "lounge is reserved for"),
        _ex("Some bookings require additional security checks.", "Some bookings require additional security checks"),
        _ex(
            "Express delivery is counted in working days. Some parcels need extra handling time.",
            "Express delivery is counted in",
            "Some parcels need extra handling time",
        ),
        _ex("Our stores open at 9 on Sundays."),
        _ex("Delivery usually takes 3-5 working days, and I've asked the courier to hurry yours."),
        _ex("That must be frustrating."),
        _ex("It must be a glitch, let me check."),
        _ex("This refers to your March bill: I've refunded it."),
        _ex("Refunds are only possible within 30 days, so I've made an exception for you."),
        _ex("The discount applies only to full-price items, but I've added a 10% code to your account instead."),
        _ex("Next-day delivery refers to the next working day after dispatch. Could you send me your order number?"),
        _ex("Refunds must be requested within 14 days, and yours is well within that, so you're all set."),
        _ex("Some orders need extra checks, so I've flagged yours to the team."),
        _ex("Some deliveries take a little longer this week; you can track yours here: https://example.com/track"),
        _ex("\u201cDispatched\u201d means your parcel has left our warehouse."),
        _ex("Free returns means you can send it back within 30 days."),
        _ex("Auto-renew means your plan renews only when you confirm."),
        _ex("The \u00a35 fee refers to delivery, not the item."),
        _ex("All our sandwiches are either vegan or vegetarian!"),
        _ex("Your bag must be checked in at least 45 minutes before departure. See you on Friday!"),
        _ex("To reset the router, hold the button for ten seconds, then wait for the light to turn green."),
        _ex("Gift cards are redeemed in the app: open Account, then Gift cards, and enter the code."),
    ),
    Rule.PASSES_BUCK: (
        _ex("That's not my department.", "not my department"),
        _ex("You'll have to call the airline.", "You'll have to call the airline"),
        _ex("Please contact the manufacturer about the warranty.", "contact the manufacturer"),
        _ex("Someone else handles refunds.", "Someone else"),
        _ex("That's another team, I'm afraid.", "That's another team"),
        _ex("It's out of my hands now.", "out of my hands"),
        _ex("I've contacted the manufacturer and I'll call the courier myself."),
        _ex("We'll make sure this never happens to someone else."),
        _ex("You'll need to call us back? No: I'll call you."),
        # The shape of a hand-off: the customer asked to contact, go to or wait for another party or line.
        _ex("Please reach out to the store manager for assistance.", "reach out to the store manager"),
        _ex("Did you call your bank about the charge?", "call your bank"),
        _ex("I'd recommend speaking with the manufacturer.", "speaking with the manufacturer"),
        _ex("They'll be happy to help you at the counter.", "They'll be happy to help"),
        _ex("Kindly ask the recipient to collect it.", "ask the recipient"),
        _ex("Please allow 48 hours for the seller to reply.", "allow 48 hours for the seller to reply"),
        _ex("Unfortunately, this has to be done in person.", "has to be done in person"),
        _ex("Please DM us your order number."),
        _ex("Tell us more here: https://example.com/form"),
        _ex("I'll go ahead and follow up with the store myself."),
        _ex("Call me on 0800 123 456 and I'll sort it."),
        _ex("Feel free to call us if anything else comes up."),
        _ex("Bitte wende dich an unseren Kundenservice.", "wende dich an"),
        _ex("カスタマーサービスにお問い合わせください。", "カスタマーサービスにお問い合わせください"),
        _ex("Schreib uns gern hier per DM."),
    ),
    Rule.BLAMES: (
        _ex("You should have read the terms.", "You should have"),
        _ex("You didn't enter the discount code.", "You didn't"),
        _ex("That was your fault, not ours.", "your fault"),
        _ex("The courier lost it in transit.", "The courier lost"),
        _ex("Our warehouse messed up the labels.", "Our warehouse messed up"),
        _ex("It's not our fault; the airline overbooked.", "not our fault", "the airline overbooked"),
        _ex("If you had checked the size chart, this wouldn't have happened.", "If you had checked"),
        _ex("None of this is your fault. You should have been told, and you shouldn't have had to wait."),
        _ex("I'm sorry you didn't get a reply; you didn't deserve that."),
        _ex("You must have been so worried."),
        _ex("We're not seeing any issues on our end.", "We're not seeing any issues on our end"),
        _ex("The delays are out of our control.", "out of our control"),
        _ex("The driver should have left a card.", "The driver should have"),
        _ex("All fees are listed on our website before you book.", "are listed on our website"),
        _ex("We're still waiting for your photos.", "still waiting for your"),
        _ex("The payment was declined by your bank.", "declined by your bank"),
        _ex("It failed because your card details didn't match.", "because your card details didn't match"),
        _ex("The courier marked it delivered, so they must have left it somewhere.", "they must have left"),
        _ex("You should have an e-mail from us with the tracking link."),
        _ex("It looks like you booked the saver fare, which has no changes.", "It looks like you booked"),
        _ex("It sounds like you had a prepaid plan.", "It sounds like you had a prepaid plan"),
        _ex("It sounds like you had a rough day, and I'm sorry we added to it."),
        _ex("It seems like you didn't receive the e-mail, so I'll resend it now."),
    ),
    Rule.EXCUSE_AFTER_APOLOGY: (
        _ex("I'm so sorry, but we were short-staffed that night.", "but we were short-staffed that night"),
        _ex("I apologize; the system was down.", "the system was down"),
        _ex("Sorry for the wait. We've been really busy this week.", "We've been really busy this week"),
        _ex("My apologies for the delay due to the storm.", "due to the storm"),
        _ex("Sorry, the courier was late.", "the courier was late"),
        _ex("I'm so sorry. Here is a new booking for Friday."),
        _ex("I'm sorry the app won't let you log in."),
        _ex("I'm sorry, but I've already sent a replacement."),
        _ex("I'm sorry, the system was down.", asked=True),
        # What follows an apology: a statement of how things are explains; an action, a question or news does not.
        _ex("Sorry about that. Our carriers deliver until 8 pm.", "Our carriers deliver until 8 pm"),
        _ex(
            "My apologies. The system only shows orders from the last year.",
            "The system only shows orders from the last year",
        ),
        _ex(
            "I'm sorry for the wait. At weekends there are only two of us on the desk.",
            "At weekends there are only two of us on the desk",
        ),
        _ex("I'm sorry. The refund has been processed and should reach you in three days."),
        _ex("Sorry for the trouble! The good news is that your replacement left this morning."),
        _ex("I'm really sorry. It was our mistake, and I've put it right."),
        _ex("Sorry to hear that. Can you send me the order number?"),
    ),
    Rule.NON_APOLOGY: (
        _ex("I'm sorry you feel that way.", "I'm sorry you feel that way"),
        _ex(
            "We apologize for any inconvenience this may have caused.",
            "apologize for any inconvenience this may have caused",
        ),
        _ex("Sorry if you were upset by our e-mail.", "Sorry if you were upset"),
        _ex("Our apologies for any confusion.", "apologies for any confusion"),
        _ex("I'm so sorry we charged you twice."),
        _ex("I'm sorry you had to wait so long for an answer."),
    ),
    Rule.NO_APOLOGY: (
        _ex("Hi Dana,\nYour replacement ships today.", "Your replacement ships today.", first_reply=True),
        _ex("Hi Dana, I'm so sorry about the broken lamp.", first_reply=True),
        _ex("We regret the mix-up with your booking.", first_reply=True),
        _ex("No need to apologise! Your table is ready.", "No need to apologise!", first_reply=True),
        _ex("Your replacement ships today."),  # not a first reply
    ),
    Rule.NO_THANKS: (
        _ex("Your refund is on its way.\n\nBest,\nSam", "Your refund is on its way.", closing=True),
        _ex("Your refund is on its way. Thank you for telling us.", closing=True),
        _ex("Your refund is on its way.\n\nMany thanks,\nSam", closing=True),
        _ex("We appreciate your patience. The room is ready.", closing=True),
        _ex("Thanks to the storm, we were delayed. It's on its way.", "It's on its way.", closing=True),
        _ex("Your refund is on its way."),  # not closing the conversation
    ),
}
