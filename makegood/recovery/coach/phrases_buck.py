"""The phrases of passing the buck ("not my department", "you'll have to call", "someone else",
"contact the manufacturer") and of blaming the customer ("you should have", "you didn't", "your
fault") or others ("the courier lost it", "not our fault"). "I'll contact the courier" is the
employee doing it, which is the point; "I'm sorry our driver didn't ring" owns the failure.
"""

from __future__ import annotations

from typing import Final

from makegood.recovery.coach.matching import Phrase, phrase
from makegood.recovery.coach.pieces import FIRST_PERSON, NEG, OTHERS_FAILED, OTHERS_NEEDLES, THIRD_PARTIES
from makegood.recovery.coach.rules import Rule
from makegood.recovery.coach.suggestions import S_CALL_FOR_THEM, S_FIX_NOT_FAULT, S_OWN, S_STAY, S_WE

BUCK: Final = Rule.PASSES_BUCK
BLAME: Final = Rule.BLAMES

PASSES_BUCK_AND_BLAMES: Final[tuple[Phrase, ...]] = (
    phrase(
        BUCK,
        S_OWN,
        rf"{NEG}\s+(?:really\s+)?(?:my|our)\s+(?:department|dept|job|area|responsibility|problem|remit|team"
        r"|division|decision|call|concern|business)\b",
        needles="department|dept|job|area|responsibility|problem|remit|team|division|decision|call|concern|business",
    ),
    phrase(
        BUCK,
        S_OWN,
        r"\b(?:that|this|it)(?:'s|\s+is|\s+would\s+be|'d\s+be|\s+will\s+be|'ll\s+be)\s+(?:(?:one|a\s+matter"
        r"|something|a\s+question)\s+for\s+|for\s+|handled\s+by\s+|dealt\s+with\s+by\s+)?(?:another|a\s+different"
        r"|a\s+separate|the\s+other|our\s+other)\s+(?:team|department|dept|company|desk|office|branch|store"
        r"|division|section|unit)\b"
        r"|\b(?:handled|dealt\s+with|managed|looked\s+after|covered|done)\s+by\s+(?:another|a\s+different"
        r"|a\s+separate|the\s+other)\s+(?:team|department|dept|company|desk|office|branch|division)\b"
        r"|\b(?:another|a\s+different|a\s+separate|the\s+other)\s+(?:team|department|dept)(?:'s\b|\s+will\s+have\s+to"
        r"|\s+has\s+to|\s+needs\s+to|\s+handles|\s+deals\s+with)",
        needles="another|different|separate|other",
    ),
    phrase(
        BUCK,
        S_CALL_FOR_THEM,
        r"\byou(?:'ll|\s+will|'d|\s+would|\s+may|\s+might)?\s+(?:have|need|want|got)\s+to\s+(?:(?:go\s+and|try\s+and"
        r"|try\s+to|directly)\s+)?(?:call|ring|phone|contact|speak|talk|reach\s+out|get\s+in\s+touch"
        r"|take\s+(?:it|this|that)\s+up|complain|write|go\s+(?:to|through|back\s+to)|check\s+with|ask|raise|file)\b",
        # "Do you want to talk to a manager?", "if you want to go to the spa": offers, not hand-offs.
        unless_before=r"\b(?:if|whenever|when|should|do|did|would|whether|unless|in\s+case)\s+$",
        unless_after=r"\s+(?:(?:to|with)\s+)?(?:me|us)\b",
        needles="have to|need to|want to|got to",
    ),
    phrase(
        BUCK,
        S_CALL_FOR_THEM,
        r"\b(?:contact|call|ring|phone|email|e-mail|write\s+to|reach\s+out\s+to|speak\s+(?:to|with)|talk\s+(?:to|with)"
        r"|get\s+in\s+touch\s+with|take\s+(?:it|this|that)\s+up\s+with|complain\s+to|raise\s+(?:it|this)\s+with"
        rf"|check\s+with|go\s+back\s+to|ask)\s+(?:(?:the|your|their|our)\s+)?(?:\w+\s+)?{THIRD_PARTIES}\b",
        unless_before=FIRST_PERSON,
        needles=(
            "manufacturer|maker|brand|courier|carrier|delivery co|delivery f|delivery s|shipping co|post office|postal"
            "|bank|card issuer|card provider|card company|airline|supplier|vendor|seller|head office|corporate"
            "|customer serv|customer care|customer support|help desk|helpdesk|call cent|insur|travel agent|booking s"
            "|booking a|booking p|third|landlord|warranty d|warranty p| desk"
        ),
    ),
    # "…so it never happens to someone else" is a promise, not a hand-off.
    phrase(
        BUCK,
        S_STAY,
        r"\b(?:someone|somebody)\s+else(?:'s)?\b",
        unless_before=r"\b(?:happen(?:s|ed|ing)?\s+(?:to\s+)?|for\s+|like\s+|than\s+)$",
        unless_after=r"\s+should(?:'ve|\s+have)\b",  # that is blame (below)
        needles="else",
    ),
    phrase(
        BUCK,
        S_OWN,
        r"\bout\s+of\s+(?:my|our)\s+hands\b|\bnothing\s+to\s+do\s+with\s+(?:me|us)\b|\bI\s+(?:just|only)\s+work\s+here\b"
        r"|\babove\s+my\s+pay\s*grade\b|\bnot\s+up\s+to\s+(?:me|us)\b|\bnot\s+(?:in\s+)?my\s+(?:hands|control|power)\b"
        r"|\b(?:manufacturer|courier|warehouse|bank|airline|supplier|carrier|head\s+office)'s\s+(?:problem"
        r"|responsibility|job|issue|department)\b",
        needles="hands|nothing to do|work here|grade|up to|control|power|'s ",
    ),
    phrase(
        BUCK,
        S_CALL_FOR_THEM,
        r"\b(?:ask|enquire|inquire|check)\s+(?:at|in|with)\s+(?:the\s+)?(?:desk|front\s+desk|reception|counter|till"
        r"|store|shop|branch)\b",
        unless_before=FIRST_PERSON,
        needles="desk|reception|counter|till|store|shop|branch",
    ),
    # -- blames -------------------------------------------------------------------------------------------
    phrase(
        BLAME,
        S_FIX_NOT_FAULT,
        r"\byou\s+(?:should(?:'ve|\s+have)|ought\s+to\s+have)\b",
        # "You should have received it", "you should have that option now": what the customer can expect.
        unless_after=(
            r"\s+(?:(?:already|by\s+now|also|then)\s+)?(?:received|got|gotten|been|heard|had|seen|arrived|that|this"
            r"|the|an?|access|one|it|them)\b"
        ),
        needles="should|ought",
    ),
    phrase(
        BLAME,
        S_FIX_NOT_FAULT,
        r"\byou\s+should(?:n'?t|\s+not)\s+have\b",
        unless_after=r"\s+(?:(?:had\s+)?to|been|needed)\b",
        needles="should",
    ),
    # "I'm sorry you didn't get a reply" acknowledges; "you didn't read the terms" blames.
    phrase(
        BLAME,
        S_FIX_NOT_FAULT,
        r"\byou\s+(?:didn'?t|did\s+not|never)\b",
        unless_before=(
            r"\b(?:sorry|shame|pity|understand|see|appreciate|know|noticed?|reali[sz]ed?|apologi[sz]e|regret|hear"
            r"|heard|if|when|unless|frustrating|disappointing|unacceptable|upsetting|worrying)\s+(?:that\s+)?$"
        ),
        unless_after=(
            r"\s+(?:(?:even|actually|yet|ever|once)\s+)?(?:receiv\w*|get\w*|got|hear\w*|deserv\w*|have|had|enjoy\w*"
            r"|lik\w*|lov\w*|expect\w*|feel|felt|need\w*|want\w*|find|found|see|saw|sleep|slept|mean|meant|order\w*"
            r"|ask\w*|sign\w*|authori[sz]\w*|agree\w*|cause\w*|arriv\w*|miss\w*|know|do\s+(?:anything|nothing)\s+wrong"
            r"|make\s+(?:a|any)\s+mistake)"
        ),
        needles="didn|did not|never",
    ),
    phrase(
        BLAME,
        S_FIX_NOT_FAULT,
        r"\b(?:you\s+(?:(?:failed|forgot|neglected|omitted)\s+to|(?:were|are)\s+(?:supposed|meant|required)\s+to)"
        r"|as\s+you\s+(?:were|have\s+been)\s+(?:told|advised|warned|informed))\b",
        needles="failed|forgot|neglected|omitted|supposed|meant|required|as you",
    ),
    phrase(
        BLAME,
        S_FIX_NOT_FAULT,
        r"\byou\s+must\s+have\b",
        unless_after=(
            r"\s+(?:been|felt|had|thought|wondered|found|waited|expected|gone\s+through|hoped|seen|worried"
            r"|struggled)\b"
        ),
        needles="must have",
    ),
    phrase(
        BLAME,
        S_FIX_NOT_FAULT,
        r"\byour\s+(?:own\s+)?(?:fault|mistake|error|responsibility)\b|\b(?:user|customer|operator)\s+error\b",
        unless_before=(
            r"(?:\bnot|n't|\bno\s+way|\bnever|\bnone\s+of\s+(?:this|it|that)\s+(?:is|was)|\bnothing\s+to\s+do\s+with)"
            r"\s+(?:\w+\s+){0,3}$"
        ),
        unless_after=r"\s+(?:message|code|screen)\b",
        needles="fault|mistake|error|responsibility",
    ),
    phrase(
        BLAME,
        S_FIX_NOT_FAULT,
        r"\b(?:it|this|the\s+\w+)\s+(?:is\s+|was\s+|are\s+)?(?:clearly|plainly|explicitly)\s+(?:says|states|stated|said"
        r"|mentions|mentioned|shows|shown|explained|marked|labell?ed)\b"
        r"|\bas\s+(?:clearly\s+)?(?:stated|stipulated|outlined|explained|set\s+out|mentioned)\s+(?:in|on)\s+"
        r"(?:the|our|your)\s+[\w-]+(?:\s+and\s+[\w-]+)?"
        r"|\b(?:if\s+you(?:'d|\s+had)|had\s+you)\s+(?:(?:only|just|actually|properly|carefully)\s+)?(?:read|checked"
        r"|looked|followed|called|told|contacted|booked|arrived|kept|ordered|selected|entered|filled|printed|paid"
        r"|registered|measured|listened|asked)\b",
        needles="clearly|plainly|explicitly|stated|stipulated|outlined|explained|set out|mentioned|if you|had you",
    ),
    phrase(BLAME, S_WE, rf"\b(?:the|their|his|her)\s+{OTHERS_FAILED}", needles=OTHERS_NEEDLES),
    # "I'm sorry our driver didn't ring" owns the failure; "our driver didn't ring" points at him.
    phrase(
        BLAME,
        S_WE,
        rf"\b(?:our|my)\s+{OTHERS_FAILED}",
        unless_before=r"\b(?:sorry|apologi[sz]e|regret)\s+(?:that\s+)?$",
        needles=OTHERS_NEEDLES,
    ),
    phrase(
        BLAME,
        S_WE,
        r"\b(?:the|their|his|her)\s+(?:\w+\s+)?\w+'s\s+fault\b|\b(?:their|his|her)\s+fault\b"
        rf"|{NEG}\s+(?:our|my)\s+(?:fault|mistake|error)\b|\b(?:it|that)\s+(?:wasn'?t|was\s+not)\s+(?:us|me)\b"
        r"|\b(?:we'?re|we\s+are|I'?m|I\s+am)\s+not\s+to\s+blame\b|\bblame\s+(?:lies|rests)\s+with\b"
        r"|(?<!n't\s)(?<!not\s)\bblame\s+(?:the|our|their|it\s+on)\b|\b(?:someone|somebody)\s+else\s+should(?:'ve|\s+have)\b",
        needles="fault|wasn|was not|blame|else should",
    ),
)
