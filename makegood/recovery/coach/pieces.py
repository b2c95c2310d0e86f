"""Pieces of patterns that several phrases share: negations, conditions, parties."""

from __future__ import annotations

# A negation, written out or contracted (with or without the apostrophe).
NEG = r"(?:\bnot|\b(?:is|are|was|were|do|does|did|wo|ca|could|would|should|has|have|had|ai|need|must)n'?t)\b"
CANT = r"(?:\bcan(?:'?t|not)\b|\bcan not\b(?!\s+only))"
WONT = r"(?:\bwon'?t\b|\bwill not\b)"
# "if we can't repair it…", "unless it won't…": a condition, not a refusal.
CONDITIONAL = r"\b(?:if|unless|in case|whether|when|even if|so that)\s+(?:[\w']+\s+){1,2}$"
# "I understand you can't log in", "sorry your card won't work": the customer's problem, reported.
REPORTED = (
    r"\b(?:understand|hear|heard|see|know|sorry|said|say|says|mentioned|told (?:us|me)|noticed|reali[sz]ed?"
    r"|frustrating|annoying|explained)(?:\s+that)?\s+(?:you|it|they|he|she|your\s+[\w-]+|the\s+[\w-]+|this|that)"
    r"\s+(?:(?:still|just|really|simply|even)\s+)?$"
)
NOT_A_REFUSAL = f"{CONDITIONAL}|{REPORTED}"
# A remedy later in the sentence makes the same words context, not a refusal ("…, and I've reserved one").
NO_REMEDY_AFTER = r"(?![^.!?]{0,100}?\b(?:so|but|and)\s+(?:I|we)(?:'ve|'ll|\s+have|\s+will)\b)"
# After a bad-news opener: "we", and the refusal if one follows ("unfortunately we can't").
WE_REFUSE = (
    r"(?:we|I)(?:'re|'m|'ve|'ll|'d)?\b(?:\s+(?:really|just|simply|still))?(?:\s+(?:can(?:'?t|not)|can\s+not|won'?t"
    r"|will\s+not|(?:are|am)\s+unable\s+to|unable\s+to|do(?:n'?t|\s+not)|(?:are|am)\s+not\s+able\s+to|not\s+able\s+to"
    r"|have\s+to|must|had\s+to)\b)?"
)
# "I'll contact the courier", "let me call the bank": the employee doing it, which is the point.
FIRST_PERSON = (
    r"(?:\b(?:I|we)(?:'ll|'d|'m|'re)?(?:\s+(?:will|shall|would|am|are|be|just|already|personally|also|now|then"
    r"|immediately|gladly|happily|going\s+to|today|directly|can|could|should|must|need\s+to|have\s+to))*"
    r"|\blet\s+(?:me|us))\s+$"
)
THIRD_PARTIES = (
    r"(?:manufacturer|maker|brand|courier|carrier|delivery\s+(?:company|firm|service)|shipping\s+company"
    r"|post\s+office|postal\s+service|bank|card\s+(?:issuer|provider|company)|airline|supplier|vendor|seller"
    r"|head\s+office|corporate|customer\s+(?:services?|care|support)|help\s*desk|call\s+cent(?:er|re)|insurer"
    r"|insurance(?:\s+company|\s+provider)?|travel\s+agent|booking\s+(?:site|agent|platform)|third[- ]party"
    r"|landlord|warranty\s+(?:department|provider)|(?:baggage|lost\s+property|information|service)\s+desk)"
)
OTHERS = (
    r"(?:courier|delivery\s+(?:driver|company|guy|man|firm|team)|driver|warehouse|kitchen|chef|cook|waiter"
    r"|waitress|server|supplier|manufacturer|vendor|factory|carrier|post\s+office|postal\s+service|postman"
    r"|mailman|airline|bank|card\s+issuer|travel\s+agent|contractor|cleaners?|housekeeping|night\s+shift"
    r"|day\s+shift|other\s+shift|previous\s+(?:agent|shift|manager|owner)|new\s+(?:guy|girl|hire|starter|trainee"
    r"|employee)|trainee|temp|intern|colleague|head\s+office|agency|technician|engineer)"
)
OTHERS_NEEDLES = (
    "courier|delivery|driver|warehouse|kitchen|chef|cook|waiter|waitress|server|supplier|manufacturer|vendor"
    "|factory|carrier|post|mailman|airline|bank|card|travel|contractor|cleaner|housekeeping|shift|previous|new"
    "|trainee|temp|intern|colleague|head|agency|technician|engineer"
)
# Someone else, and what they did wrong ("courier lost", "warehouse messed up").
OTHERS_FAILED = (
    rf"(?:\w+\s+)?{OTHERS}(?:'s)?\s+(?:(?:must\s+have|clearly|obviously|apparently|probably|just|completely"
    r"|totally)\s+)?(?:lost|messed(?:\s+up)?|screwed(?:\s+up)?|broke|damaged|dropped(?:\s+the\s+ball)?|forgot"
    r"|misplaced|mixed(?:\s+up)?|botched|mislabell?ed|overbooked|got\s+(?:it|this|that|your\s+\w+|the\s+\w+)\s+wrong"
    r"|made\s+(?:a|an|the)\s+(?:mistake|error|mess)|(?:is|was|are|were)\s+to\s+blame|(?:is|was|were)\s+at\s+fault"
    r"|fault|error|mistake|failed|didn'?t|did\s+not|never|sent\s+(?:you\s+)?(?:the\s+)?wrong"
    r"|delivered\s+(?:it\s+)?to\s+the\s+wrong)\b"
)
