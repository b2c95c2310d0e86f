"""Real-sounding replies to customers, good and bad, each with the reply coach's expected findings.

Every reply is a test case (test_coach.py): the coach must flag exactly the listed (rule, excerpt)
pairs, in text order. A reply blocks sending for a frontline employee exactly when it has a
`says_no` finding, and never for a manager. Ids start with the business the reply comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

from makegood.recovery.coach import Rule


@dataclass(frozen=True)
class Reply:
    id: str
    text: str
    expected: tuple[tuple[Rule, str], ...]
    first_reply: bool = False  # the first reply to a complaint: it should apologise
    closing: bool = True  # it closes the conversation: it should thank
    explanation_requested: bool = False

    @property
    def says_no(self) -> bool:
        return any(rule == Rule.SAYS_NO for rule, _excerpt in self.expected)


CORPUS: tuple[Reply, ...] = (
    Reply(
        "retail-refund-good",
        (
            "Hi Priya,\n"
            "\n"
            "I'm so sorry the kettle you bought from us stopped working after a week. That's not "
            "good enough, and I completely understand how annoying it is.\n"
            "\n"
            "I've arranged a full refund to your card today, and you're welcome to keep the old "
            "kettle. Thank you for letting us know.\n"
            "\n"
            "Kind regards,\n"
            "Josh"
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "retail-refund-flat-no",
        ("Hi Priya,\n\nNo, we can't refund a kettle once it has been used. It's company policy.\n\nRegards,\nJosh"),
        (
            (Rule.SAYS_NO, "No"),
            (Rule.NO_APOLOGY, "No, we can't refund a kettle once it has been used."),
            (Rule.SAYS_NO, "can't"),
            (Rule.SAYS_NO, "It's company policy"),
            (Rule.NO_THANKS, "It's company policy."),
        ),
        first_reply=True,
    ),
    Reply(
        "retail-receipt-blame",
        "You should have kept the receipt. Without it there is nothing we can do.",
        (
            (Rule.BLAMES, "You should have"),
            (Rule.NO_THANKS, "Without it there is nothing we can do."),
            (Rule.SAYS_NO, "nothing we can do"),
        ),
    ),
    Reply(
        "retail-sale-item",
        (
            "Dear Mr Okafor,\n"
            "\n"
            "I'm sorry the jacket didn't fit. Unfortunately we don't accept returns on sale items, "
            "but I can offer you an exchange for another size or a store credit.\n"
            "\n"
            "Thanks for shopping with us,\n"
            "Amira"
        ),
        (
            (Rule.SAYS_NO, "Unfortunately we don't accept"),
            # The rule cited right after the apology justifies it (an excuse, as well as a "no").
            (Rule.EXCUSE_AFTER_APOLOGY, "Unfortunately we don't accept returns on sale items"),
        ),
        first_reply=True,
    ),
    Reply(
        "retail-not-my-dept",
        "Sorry about that. That's not my department, you'll have to call head office.",
        (
            (Rule.PASSES_BUCK, "not my department"),
            (Rule.PASSES_BUCK, "you'll have to call head office"),
        ),
        first_reply=True,
        closing=False,
    ),
    Reply(
        "retail-manufacturer",
        (
            "The blender is still under the manufacturer's warranty, so please contact the "
            "manufacturer directly and they will sort it out."
        ),
        (
            (
                Rule.NO_THANKS,
                (
                    "The blender is still under the manufacturer's warranty, so please contact the "
                    "manufacturer directly and they will sort it out."
                ),
            ),
            (Rule.PASSES_BUCK, "contact the manufacturer"),
        ),
    ),
    Reply(
        "retail-own-the-warranty",
        (
            "Good news: your blender is still under warranty. I've contacted the manufacturer myself "
            "and a replacement will be delivered to you on Thursday. Thank you for your patience."
        ),
        (),
    ),
    Reply(
        "retail-price-match",
        "We do not price match online retailers, I'm afraid. Thanks for asking though!",
        ((Rule.SAYS_NO, "We do not price match"),),
    ),
    Reply(
        "retail-short-thanks",
        "All sorted: the refund is on its way. Thanks!",
        (),
    ),
    Reply(
        "retail-no-problem",
        (
            "No problem at all! Your new order is confirmed and there's no charge for the express "
            "delivery. Thanks again."
        ),
        (),
    ),
    Reply(
        "restaurant-cold-food-good",
        (
            "Dear Sam,\n"
            "\n"
            "I'm truly sorry your meal arrived cold on Saturday. You came to celebrate and we let "
            "you down. I'd love to welcome you back as our guest: your next dinner for two is on us.\n"
            "\n"
            "Thank you for telling us about it.\n"
            "\n"
            "Maria, General Manager"
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "restaurant-excuse",
        (
            "Hi Sam, I'm so sorry about the wait on Saturday, but we were short-staffed and the "
            "kitchen was slammed. We hope to see you again soon. Thanks for your feedback."
        ),
        ((Rule.EXCUSE_AFTER_APOLOGY, "but we were short-staffed and the kitchen was slammed"),),
        first_reply=True,
    ),
    Reply(
        "restaurant-kitchen-blame",
        (
            "Apologies for your experience. The kitchen got your order wrong and the new waiter "
            "forgot to check on you. Thank you for your patience."
        ),
        (
            (Rule.BLAMES, "The kitchen got your order wrong"),
            (Rule.EXCUSE_AFTER_APOLOGY, "The kitchen got your order wrong and the new waiter forgot to check on you"),
            (Rule.BLAMES, "the new waiter forgot"),
        ),
        first_reply=True,
    ),
    Reply(
        "restaurant-booking-none",
        (
            "Hello, I'm sorry to hear about your visit. Unfortunately we have no record of your "
            "booking, so there was nothing we could do on the night. Thank you."
        ),
        (
            (Rule.SAYS_NO, "Unfortunately we"),
            (Rule.EXCUSE_AFTER_APOLOGY, "Unfortunately we have no record of your booking"),
            (Rule.SAYS_NO, "no record of"),
            (Rule.SAYS_NO, "nothing we could do"),
        ),
        first_reply=True,
    ),
    Reply(
        "restaurant-allergy",
        (
            "Hi Leon,\n"
            "\n"
            "I'm so sorry. Serving a dish with nuts after you told us about your allergy is serious, "
            "and it should never have happened. I've spoken to the whole team tonight and we've "
            "changed how allergy orders are marked.\n"
            "\n"
            "Thank you for raising it with us; you may well have protected the next guest.\n"
            "\n"
            "Best wishes,\n"
            "Nadia"
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "restaurant-corkage",
        "We're not allowed to let guests bring their own wine. Thanks for understanding.",
        ((Rule.SAYS_NO, "not allowed"),),
    ),
    Reply(
        "restaurant-dont-worry",
        (
            "Don't worry at all, it happens! Your table for six is confirmed for Friday at eight. We "
            "can't wait to see you. Thank you!"
        ),
        (),
    ),
    Reply(
        "restaurant-table-gone",
        "I'm sorry, there are no tables left on Friday.",
        ((Rule.SAYS_NO, "no tables"),),
        closing=False,
    ),
    Reply(
        "hotel-noise-good",
        (
            "Dear Ms Laurent,\n"
            "\n"
            "Please accept my sincere apologies for the noise from the renovation works during your "
            "stay. You came to rest and you couldn't. I have refunded both nights to your card, and "
            "I'd be glad to offer you a complimentary weekend whenever you'd like to return.\n"
            "\n"
            "Thank you for taking the time to write to us.\n"
            "\n"
            "Warm regards,\n"
            "Oliver Grant\n"
            "Front Office Manager"
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "hotel-late-checkout",
        ("Late checkout isn't possible on Sundays and we are unable to hold your bags after 2pm. Have a nice trip."),
        (
            (Rule.SAYS_NO, "isn't possible"),
            (Rule.SAYS_NO, "unable to"),
            (Rule.NO_THANKS, "Have a nice trip."),
        ),
    ),
    Reply(
        "hotel-system-excuse",
        (
            "I apologise for the mix-up with your room. The booking system was down that evening, "
            "which is why your reservation wasn't found. Thank you for your understanding."
        ),
        ((Rule.EXCUSE_AFTER_APOLOGY, "The booking system was down that evening"),),
        first_reply=True,
    ),
    Reply(
        "hotel-explanation-asked",
        (
            "I apologise for the mix-up with your room. The booking system was down that evening, "
            "which is why your reservation wasn't found. Thank you for asking; I wanted you to know "
            "exactly what happened."
        ),
        (),
        first_reply=True,
        explanation_requested=True,
    ),
    Reply(
        "hotel-parking",
        ("Parking is handled by a different company, so you'd need to speak to them about the charge."),
        (
            (
                Rule.NO_THANKS,
                ("Parking is handled by a different company, so you'd need to speak to them about the charge."),
            ),
            (Rule.PASSES_BUCK, "handled by a different company"),
            (Rule.PASSES_BUCK, "you'd need to speak"),
        ),
    ),
    Reply(
        "hotel-housekeeping-own",
        (
            "Good evening Mr Tanaka,\n"
            "\n"
            "I'm so sorry your room wasn't cleaned today. That's our mistake, not yours. "
            "Housekeeping will be with you within 30 minutes, and I've added fresh towels and a "
            "bottle of wine to say sorry.\n"
            "\n"
            "Thank you for letting me know.\n"
            "\n"
            "Elena"
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "hotel-pets",
        "Pets are not permitted in the hotel, as clearly stated on our website. Thank you.",
        (
            (Rule.SAYS_NO, "not permitted"),
            (Rule.BLAMES, "as clearly stated on our website"),
        ),
    ),
    Reply(
        "hotel-wifi",
        (
            "Thanks for flagging the wifi. It won't take long to fix: our technician is on the way "
            "and you won't be charged for the premium plan this week."
        ),
        (),
    ),
    Reply(
        "hotel-impossible",
        "Moving your stay to next month is impossible at this rate, I'm afraid. Thank you.",
        ((Rule.SAYS_NO, "impossible"),),
    ),
    Reply(
        "airline-bag-good",
        (
            "Dear Mrs Adeyemi,\n"
            "\n"
            "I'm so sorry your suitcase didn't arrive with you in Lisbon. I know how stressful it is "
            "to start a trip without your things. Your bag has been located in Frankfurt and will be "
            "delivered to your hotel by 6pm today. Please buy what you need in the meantime and send "
            "me the receipts: we'll reimburse you in full.\n"
            "\n"
            "Thank you for your patience, and I hope the rest of your trip is wonderful.\n"
            "\n"
            "Best regards,\n"
            "Tomas, Customer Care"
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "airline-bag-buck",
        (
            "Hi, lost luggage is dealt with by another team. Please contact the baggage desk at the "
            "airport or call our customer service line. Thank you."
        ),
        (
            (Rule.NO_APOLOGY, "lost luggage is dealt with by another team."),
            (Rule.PASSES_BUCK, "dealt with by another team"),
            (Rule.PASSES_BUCK, "contact the baggage desk"),
            (Rule.PASSES_BUCK, "call our customer service"),
        ),
        first_reply=True,
    ),
    Reply(
        "airline-name-change",
        (
            "Names on tickets cannot be changed after booking, and this fare is non-refundable. "
            "Thank you for your understanding."
        ),
        (
            (Rule.SAYS_NO, "cannot be changed"),
            (Rule.SAYS_NO, "non-refundable"),
        ),
    ),
    Reply(
        "airline-delay-weather",
        (
            "We're sorry for the delay to flight BA123. It was caused by the storm over the Channel, "
            "which is outside our control. Thank you for flying with us."
        ),
        (
            (Rule.EXCUSE_AFTER_APOLOGY, "It was caused by the storm over the Channel"),
            (Rule.BLAMES, "outside our control"),
        ),
        first_reply=True,
    ),
    Reply(
        "airline-delay-own",
        (
            "We're very sorry your flight was delayed by four hours and that you missed your "
            "connection. You're entitled to compensation, and I've already started your claim: "
            "you'll receive €400 within 14 days. Thank you for bearing with us."
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "airline-upgrade",
        (
            "I'm afraid we can't upgrade you for free, but I'd be happy to offer you lounge access "
            "for your trip. Thanks!"
        ),
        ((Rule.SAYS_NO, "I'm afraid we can't"),),
    ),
    Reply(
        "airline-check-in-blame",
        (
            "You didn't check in online within the 24-hour window, so the seat was released. You "
            "were supposed to do it yourself. Thanks."
        ),
        (
            (Rule.BLAMES, "You didn't"),
            (Rule.BLAMES, "You were supposed to"),
        ),
    ),
    Reply(
        "airline-crew",
        (
            "I'm sorry our crew didn't treat you with the respect you deserve. I have shared your "
            "message with the cabin manager and we will be in touch personally. Thank you for "
            "writing."
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "airline-answer-no",
        "The answer is no, I'm afraid.",
        ((Rule.SAYS_NO, "answer is no"),),
        closing=False,
    ),
    Reply(
        "bank-fee-good",
        (
            "Hi Marcus,\n"
            "\n"
            "I'm sorry about the overdraft fee. You shouldn't have been charged while your salary "
            "was delayed. I've refunded the £25 and added a note to your account so it won't happen "
            "again.\n"
            "\n"
            "Thanks for getting in touch.\n"
            "Ruth"
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "bank-fee-no",
        (
            "Hello Marcus, we are not able to refund overdraft fees. The fee is clearly stated in "
            "your terms and conditions. Regards."
        ),
        (
            (Rule.NO_APOLOGY, "we are not able to refund overdraft fees."),
            (Rule.SAYS_NO, "not able to"),
            (Rule.BLAMES, "The fee is clearly stated"),
            (Rule.NO_THANKS, "Regards."),
        ),
        first_reply=True,
    ),
    Reply(
        "bank-card-declined",
        (
            "I understand your card won't work abroad. If you can't use it tomorrow either, call me "
            "directly on this number and I'll fix it straight away. Thank you for letting us know."
        ),
        (),
    ),
    Reply(
        "bank-fraud",
        (
            "Dear Ms Kowalski,\n"
            "\n"
            "I'm so sorry you've been the victim of fraud. None of this is your fault. I've blocked "
            "the card, a new one is on its way, and the £312 will be back in your account by Friday.\n"
            "\n"
            "Thank you for acting so quickly.\n"
            "\n"
            "Daniel, Fraud Team"
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "bank-mortgage",
        "Your mortgage application has been declined.",
        ((Rule.SAYS_NO, "application has been declined"),),
        closing=False,
    ),
    Reply(
        "bank-branch-closed",
        (
            "My apologies. The branch was closed because of staff training, and someone else should "
            "have put a sign on the door. Thanks."
        ),
        (
            (Rule.EXCUSE_AFTER_APOLOGY, "The branch was closed because of staff training"),
            (Rule.BLAMES, "someone else should have"),
        ),
        first_reply=True,
    ),
    Reply(
        "bank-not-eligible",
        "Your account is not eligible for the cashback offer. Thank you for banking with us.",
        ((Rule.SAYS_NO, "not eligible"),),
    ),
    Reply(
        "bank-forms",
        ("If you had filled in the form correctly, the transfer would have gone through. Please resubmit it. Thanks."),
        ((Rule.BLAMES, "If you had filled"),),
    ),
    Reply(
        "shop-late-parcel-good",
        (
            "Hi Jo,\n"
            "\n"
            "I'm really sorry your parcel is late, especially with the party on Saturday. I've sent "
            "a replacement by next-day delivery at our cost, so it will reach you tomorrow, and "
            "refunded your shipping.\n"
            "\n"
            "Thank you for your patience,\n"
            "Kai"
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "shop-courier-blame",
        ("Sorry, the courier lost your parcel. You'll need to contact the courier to open a claim. Thanks."),
        (
            (Rule.BLAMES, "the courier lost"),
            (Rule.EXCUSE_AFTER_APOLOGY, "the courier lost your parcel"),
            (Rule.PASSES_BUCK, "You'll need to contact the courier"),
        ),
        first_reply=True,
    ),
    Reply(
        "shop-warehouse",
        (
            "Apologies, the warehouse messed up your order and sent the wrong size. We'll send the "
            "right one today. Thanks for your patience."
        ),
        (
            (Rule.BLAMES, "the warehouse messed up"),
            (Rule.EXCUSE_AFTER_APOLOGY, "the warehouse messed up your order and sent the wrong size"),
        ),
        first_reply=True,
    ),
    Reply(
        "shop-unable-cancel",
        "We're unable to cancel the order as it has already been dispatched. Thank you.",
        ((Rule.SAYS_NO, "unable to"),),
    ),
    Reply(
        "shop-discount-code",
        ("You didn't enter the discount code at checkout, so it wasn't applied. Thank you for shopping with us."),
        ((Rule.BLAMES, "You didn't"),),
    ),
    Reply(
        "shop-discount-code-good",
        (
            "I've applied the discount code to your order and refunded the difference of £8.50. "
            "Thanks for pointing it out!"
        ),
        (),
    ),
    Reply(
        "shop-out-of-stock",
        "We don't have any left in blue, and we no longer stock that model. Thank you.",
        (
            (Rule.SAYS_NO, "We don't have any left"),
            (Rule.SAYS_NO, "no longer stock"),
        ),
    ),
    Reply(
        "shop-curly-quotes",
        "Unfortunately we can\u2019t ship to PO boxes. Thanks for understanding.",
        ((Rule.SAYS_NO, "Unfortunately we can\u2019t"),),
    ),
    Reply(
        "shop-short-ok",
        "Done! Your order ships today.",
        (),
        closing=False,
    ),
    Reply(
        "shop-no-worries",
        "No worries, there's nothing wrong with asking. I've updated your address. Thank you!",
        (),
    ),
    Reply(
        "shop-first-no-apology",
        "Your replacement ships today. Thanks for letting us know.",
        ((Rule.NO_APOLOGY, "Your replacement ships today."),),
        first_reply=True,
    ),
    Reply(
        "shop-no-thanks-close",
        ("Your replacement ships today and should arrive on Tuesday. The tracking number is in your inbox."),
        ((Rule.NO_THANKS, "The tracking number is in your inbox."),),
    ),
    Reply(
        "shop-sorry-but-good-news",
        (
            "I'm so sorry for the trouble, but the good news is that your refund has already been "
            "processed. Thank you for your patience."
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "telecom-fault",
        (
            "I'm sorry your broadband has been dropping out. Our engineer will visit on Monday "
            "between 8 and 12, and I've credited a month's line rental. Thank you for bearing with "
            "us."
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "telecom-out-of-hands",
        "Sorry, it's out of my hands now. The engineers decide when to visit. Thank you.",
        (
            (Rule.PASSES_BUCK, "out of my hands"),
            (Rule.EXCUSE_AFTER_APOLOGY, "The engineers decide when to visit"),
        ),
        first_reply=True,
    ),
    Reply(
        "gym-cancel",
        ("Memberships can't be cancelled in the first year; it's against our policy. Thank you for your message."),
        (
            (Rule.SAYS_NO, "can't be cancelled"),
            (Rule.SAYS_NO, "against our policy"),
        ),
    ),
    Reply(
        "gym-good",
        (
            "You're right, the showers should have been fixed weeks ago. I've had them repaired this "
            "morning and added a free month to your membership. Thank you for holding us to a higher "
            "standard."
        ),
        (),
    ),
    Reply(
        "cafe-manager-says-no",
        (
            "I'm afraid we won't be able to reopen the terrace this winter, but you're always "
            "welcome inside by the fire. Thank you for asking."
        ),
        ((Rule.SAYS_NO, "I'm afraid we won't"),),
    ),
    Reply(
        "cafe-regret",
        "We regret to inform you that your voucher has expired. Thank you.",
        (
            (Rule.SAYS_NO, "We regret to inform"),
            (Rule.NO_APOLOGY, "We regret to inform you that your voucher has expired."),
        ),
        first_reply=True,
    ),
    Reply(
        "cafe-cant-thank-enough",
        "I can't thank you enough for your kind words about Lucy! I'll make sure she hears them.",
        (),
    ),
    Reply(
        "retail-long-mixed",
        (
            "Dear Mr Evans,\n"
            "\n"
            "Thank you for your email about the sofa delivery on 3 March. I'm sorry it arrived with "
            "a torn cushion.\n"
            "\n"
            "I'm afraid the torn cushion is not covered by the warranty, and we cannot replace it "
            "free of charge. You may want to contact your home insurance provider about the damage.\n"
            "\n"
            "Best regards,\n"
            "Claire"
        ),
        (
            (Rule.SAYS_NO, "I'm afraid"),
            (Rule.SAYS_NO, "not covered"),
            (Rule.SAYS_NO, "cannot"),
            (Rule.PASSES_BUCK, "You may want to contact your home insurance provider"),
            (Rule.NO_THANKS, "You may want to contact your home insurance provider about the damage."),
        ),
        first_reply=True,
    ),
    Reply(
        "retail-long-good",
        (
            "Dear Mr Evans,\n"
            "\n"
            "I'm so sorry your sofa arrived with a torn cushion. After waiting six weeks for it, "
            "that must have been really disappointing.\n"
            "\n"
            "A new cushion is already on its way and our fitter will bring it on Thursday morning. "
            "If Thursday doesn't suit you, just reply to this email with a better day and I'll "
            "rearrange it.\n"
            "\n"
            "Thank you for telling us, and for your patience.\n"
            "\n"
            "With best wishes,\n"
            "Claire"
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "airline-no-way-your-fault",
        (
            "This is in no way your fault, Ana. I've rebooked you on the 9am flight at no cost and "
            "sent the boarding pass to your phone. Thank you for staying so calm."
        ),
        (),
    ),
    Reply(
        "shop-another-teams-job",
        (
            "Hi Ben, sorry for the hassle. Refunds are another team's job, so someone else will need "
            "to pick this up. Thanks."
        ),
        (
            (Rule.PASSES_BUCK, "another team's"),
            (Rule.PASSES_BUCK, "someone else"),
        ),
        first_reply=True,
    ),
    Reply(
        "retail-just-work-here",
        "Look, I just work here. You'll have to take it up with the manager.",
        (
            (Rule.PASSES_BUCK, "I just work here"),
            (Rule.PASSES_BUCK, "You'll have to take it up"),
            (Rule.NO_THANKS, "You'll have to take it up with the manager."),
        ),
    ),
    Reply(
        "cafe-nope",
        "Nope, that voucher expired in May. Thanks.",
        ((Rule.SAYS_NO, "Nope"),),
    ),
    Reply(
        "retail-no-exceptions",
        "Sorry, no exceptions. Thank you.",
        ((Rule.SAYS_NO, "no exceptions"),),
    ),
    Reply(
        "shop-can-not",
        "We can not process refunds without the card used for payment. Thank you.",
        ((Rule.SAYS_NO, "can not"),),
    ),
    Reply(
        "retail-sorry-to-hear-good",
        (
            "I'm sorry to hear the coffee machine leaked all over your kitchen floor. That sounds "
            "awful. A technician will come tomorrow at 10 to replace it, free of charge. Thank you "
            "for telling us straight away."
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "shop-thanks-to-storm",
        (
            "Thanks to the storm, every delivery in your area is running two days late. Your parcel "
            "should arrive on Thursday."
        ),
        ((Rule.NO_THANKS, "Your parcel should arrive on Thursday."),),
    ),
    Reply(
        "shop-appreciate-if",
        ("I'd appreciate it if you could send us a photo of the damage so I can get the replacement moving."),
        (
            (
                Rule.NO_THANKS,
                ("I'd appreciate it if you could send us a photo of the damage so I can get the replacement moving."),
            ),
        ),
    ),
    Reply(
        "retail-manager-denial",
        (
            "Hi Grace,\n"
            "\n"
            "I've looked into this personally. I'm sorry, but we can't extend the offer beyond its "
            "end date. What I can do is give you 15% off your next order, which I've added to your "
            "account.\n"
            "\n"
            "Thank you for being such a loyal customer.\n"
            "Paul (Store Manager)"
        ),
        (
            (Rule.EXCUSE_AFTER_APOLOGY, "but we can't extend the offer beyond its end date"),
            (Rule.SAYS_NO, "can't"),
        ),
    ),
    Reply(
        "restaurant-cant-wait",
        "We can't wait to welcome you back! Thanks.",
        (),
    ),
    Reply(
        "retail-no-receipt-needed",
        "You won't need a receipt, and there's no need to bring the box either. Thanks!",
        (),
    ),
    Reply(
        "bank-not-good-enough",
        (
            "I know, not good enough. I'm sorry. Sadly a refund to a different card isn't possible, "
            "but I can send you a cheque today. Thank you."
        ),
        (
            (Rule.EXCUSE_AFTER_APOLOGY, "Sadly a refund to a different card isn't possible"),
            (Rule.SAYS_NO, "isn't possible"),
        ),
    ),
    Reply(
        "hotel-overbooked-long",
        (
            "Dear Mr Haddad,\n"
            "\n"
            "I'm sorry we couldn't give you the room you booked on Friday night. We had overbooked "
            "because of a system error, and that's our responsibility, not yours.\n"
            "\n"
            "I've refunded the night in full and booked you a sea-view suite for your next stay, at "
            "no charge.\n"
            "\n"
            "Thank you for your patience with us.\n"
            "\n"
            "Sincerely,\n"
            "Anna Weber, Duty Manager"
        ),
        ((Rule.EXCUSE_AFTER_APOLOGY, "because of a system error"),),
        first_reply=True,
    ),
    Reply(
        "bank-card-number-buck",
        "You'd need to call the number on the back of your card.",
        ((Rule.PASSES_BUCK, "You'd need to call"),),
        closing=False,
    ),
    Reply(
        "retail-apologies-good",
        (
            "Apologies for the faulty charger, Mrs Byrne. We've posted a new one first class and it "
            "should be with you tomorrow. Thank you for letting us know."
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "restaurant-because-new-chef",
        (
            "I'm sorry your steak was overcooked because our chef was new. We'd love to cook you "
            "another one on us. Thanks."
        ),
        ((Rule.EXCUSE_AFTER_APOLOGY, "because our chef was new"),),
        first_reply=True,
    ),
    Reply(
        "shop-forgive-us",
        (
            "Please forgive us for sending the wrong colour! The right one is on its way and you can "
            "keep the other. Thank you, Hannah."
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "airline-must-have-been",
        (
            "You must have been exhausted after waiting all night at the gate. I'm so sorry. Your "
            "hotel and meals are covered, and I've booked you on the first flight out. Thanks for "
            "your patience."
        ),
        (),
        first_reply=True,
    ),
    Reply(
        "telecom-wrong-pin",
        "You must have entered the wrong PIN three times, so the SIM locked. Thanks.",
        ((Rule.BLAMES, "You must have"),),
    ),
    Reply(
        "retail-policy-says",
        "Our returns policy says 14 days, so this one can't be returned. Thank you.",
        (
            (Rule.SAYS_NO, "Our returns policy says"),
            (Rule.SAYS_NO, "can't be returned"),
        ),
    ),
    Reply(
        "retail-hands-tied",
        "My hands are tied on this one, sorry. Thanks for understanding.",
        ((Rule.SAYS_NO, "My hands are tied"),),
    ),
    Reply(
        "chat-bare-no",
        "No.",
        ((Rule.SAYS_NO, "No"),),
        closing=False,
    ),
    Reply(
        "optician-unable-reach",
        (
            "We were unable to reach you on Tuesday, so I'm writing instead: your new glasses are "
            "ready to collect. Thank you for your patience."
        ),
        (),
    ),
    Reply(
        "hotel-feel-that-way",
        (
            "Dear Mr. Okafor,\n\nI'm sorry you feel that way about your stay. I have passed your "
            "comments to the housekeeping manager. Thank you for writing to us."
        ),
        ((Rule.NON_APOLOGY, "I'm sorry you feel that way"),),
    ),
    Reply(
        "telecom-any-inconvenience",
        (
            "We apologise for any inconvenience this may have caused. Your line is working again "
            "and the credit is on your next bill. Thanks for bearing with us."
        ),
        ((Rule.NON_APOLOGY, "apologise for any inconvenience this may have caused"),),
        first_reply=True,
    ),
    Reply(
        "shop-sorry-if-upset",
        "Sorry if our e-mail upset you. The replacement ships today. Thank you!",
        ((Rule.NON_APOLOGY, "Sorry if our e-mail upset you"),),
    ),
    # Replies on a social channel, mid-conversation: an @handle first, initials last, no closing thanks.
    Reply(
        "social-airline-ask-crew",
        "@dana_k Sorry to hear that! Please speak to the cabin crew on board and they'll help with your seat. ^AM",
        ((Rule.PASSES_BUCK, "speak to the cabin crew"),),
        closing=False,
    ),
    Reply(
        "social-telecom-no-outage",
        "@sam_r We're not seeing any outages on our end. Have you tried restarting the router? -Jo",
        (
            (Rule.BLAMES, "We're not seeing any outages on our end"),
            (Rule.SAYS_NO, "We're not seeing any outages on our end"),
        ),
        closing=False,
    ),
    Reply(
        "social-shop-we-only",
        "Hi Ana, we only deliver to addresses in the UK. What I can do is hold it in store for you.",
        ((Rule.SAYS_NO, "we only deliver"),),
        closing=False,
    ),
    Reply(
        "social-bank-call-line",
        "Please call our card team on 0345 600 0000 to get this sorted.",
        ((Rule.PASSES_BUCK, "call our card team"),),
        closing=False,
    ),
    Reply(
        "social-games-no-news",
        "There's no news on the next update at the moment. Keep an eye on our blog for announcements.",
        ((Rule.SAYS_NO, "There's no news"),),
        closing=False,
    ),
    Reply(
        "social-shop-late-delivery",
        "So sorry for the late delivery! Our drivers can only deliver until 8pm on weekdays.",
        ((Rule.EXCUSE_AFTER_APOLOGY, "Our drivers can only deliver until 8pm on weekdays"),),
        closing=False,
    ),
    Reply(
        "social-app-support-link",
        "Hi Priya, for help with the app itself you can reach our tech support team here: https://example.com/help",
        ((Rule.PASSES_BUCK, "reach our tech support team"),),
        closing=False,
    ),
    Reply(
        "social-shop-dm-good",
        "Sorry to hear this! Please DM us your order number and we'll get it sorted.",
        (),
        closing=False,
    ),
    Reply(
        "social-store-callback-good",
        (
            "I've asked our store team to call you back today, and I'll check in with you tomorrow. "
            "Thanks for bearing with us."
        ),
        (),
    ),
    Reply(
        "social-refund-update-good",
        "Thanks for waiting, Leo. Your refund was processed this morning and should show in 3-5 days.",
        (),
        closing=False,
    ),
)
