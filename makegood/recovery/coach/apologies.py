"""Apologies, non-apologies, thanks, and excuses right after an apology.

- An apology: "sorry", "I apologise", "my apologies", "we regret the…" (not "regret to inform").
- A non-apology doubts the customer or the failure: "I'm sorry you feel that way", "we apologize
  for any inconvenience this may have caused", "sorry if you were upset". It is a finding, and it
  does not count as the apology a first reply needs.
- An excuse: an explanation right after the apology, in the same sentence ("sorry, but we were
  short-staffed") or opening the next ("I apologise. The system was down."). Not checked when the
  customer asked for an explanation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from makegood.recovery.coach.matching import compile_lower, matcher
from makegood.recovery.coach.sentences import CLAUSE_BREAK, clause_end

APOLOGY: Final = matcher(
    r"\b(?:sorry|apologi[sz](?:e|es|ed|ing)|apolog(?:y|ies)|regret(?:s|ted|table)?|my\s+bad|forgive\s+(?:us|me))\b",
    unless_before=r"(?:no\s+need\s+to|don'?t|do\s+not|never|won'?t|will\s+not)\s+(?:\w+\s+)?$",
    unless_after=r"\s+to\s+(?:inform|say\s+that|advise|announce)\b",
)
THANKS: Final = (
    matcher(
        r"\b(?:thank(?:s|ful|ing)?|thx|grateful|gratitude|cheers)\b",
        unless_before=r"\bno\s+$",
        unless_after=r"\s+to\s+(?:the|a|an|our|their|this|that|bad|poor|heavy)\b",  # "thanks to the storm"
    ),
    # "I'd appreciate it if you…" asks; "I appreciate that it's frustrating" understands.
    matcher(r"\bappreciat(?:e|ed|es|ion|ive)\b", unless_after=r"\s+(?:(?:it\s+)?if|that|how)\b"),
)
# Words that announce an explanation: an excuse wherever they follow the apology in its sentence;
# in the next sentence, "but"/"however" must open it and a cause must come early ("It was caused by…").
_CONTRAST = r"\b(?:but|however)\b"
_CAUSE = (
    r"\b(?:because|due\s+to|owing\s+to|on\s+account\s+of|as\s+a\s+result\s+of|caused\s+by|the\s+reason"
    r"|(?:this|it|that)\s+(?:was|is|has\s+been)\s+(?:(?:all|partly|mainly|entirely)\s+)?(?:because|caused\s+by|due\s+to"
    r"|down\s+to|the\s+result\s+of)"
    r"|as\s+(?:we|it|there)(?:'re|'ve|\s+(?:were|was|are|is|had|have|always|try|strive|do))"
    r"|as\s+(?:the|our)\s+\w+\s+(?:was|were|is|are|had)"
    r"|since\s+(?:we|it|there)(?:'re|'s|\s+(?:were|was|are|is|had|have)))\b"
)
# "Sorry, but I've already sent a new one": the good news, not an excuse.
_GOOD_NEWS = (
    r",?\s+(?:the\s+)?good\s+news|,?\s+(?:let\s+me|here'?s|rest\s+assured|please\s+know|I\s+promise|we\s+promise)\b"
    r"|,?\s+(?:I(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to|'ve|\s+have)|we(?:'ll|\s+will|'re\s+going\s+to"
    r"|\s+are\s+going\s+to|'ve|\s+have))\s+(?!to\b|have\s+to\b|need|not\b|been\s+told)"
)
_EXCUSE_CONJUNCTION: Final = matcher(f"{_CONTRAST}|{_CAUSE}", unless_after=_GOOD_NEWS)
# Clauses that give a reason; an excuse when set off from the apology ("sorry, the system was down"),
# but not when they are what the apology is for ("sorry the app won't open").
_EXCUSE_CLAUSE: Final = matcher(
    r"\bwe(?:'ve|\s+have|'re|\s+are|\s+were|\s+had)\s+(?:been\s+)?(?:(?:very|really|extremely|incredibly|so|a\s+bit"
    r"|a\s+little|all)\s+)?(?:short|understaffed|busy|swamped|slammed|overwhelmed|inundated|experiencing"
    r"|having\s+(?:a\s+|some\s+)?(?:\w+\s+)?(?:problems?|issues?|trouble|difficult(?:y|ies)|outage)|dealing\s+with"
    r"|waiting\s+(?:for|on)|down|closed|out\s+of|ran\s+out|running\s+(?:low|late|behind|short)"
    r"|under\s+(?:pressure|strain)|affected|hit|not\s+(?:informed|told|aware|notified)|unaware|migrating"
    r"|upgrading|short-staffed)\b"
    r"|\b(?:the|our)\s+(?:\w+\s+)?(?:system|systems|computer|computers|website|site|app|server|servers|network|till"
    r"|software|courier|warehouse|kitchen|supplier|manufacturer|weather|storm|snow|strike|airport|traffic|driver"
    r"|printer|branch|store|shop|office|restaurant|hotel|lines?|phones?)(?:\s+\w+)?\s+(?:was|were|had|has\s+been"
    r"|have\s+been|went|did|didn'?t|wasn'?t|weren'?t|couldn'?t|lost|failed|crashed|broke|misplaced|missed|mixed"
    r"|messed|overbooked|glitched|froze|ran|got|forgot)\b"
    r"|\bshort[- ]?staffed\b|\bunderstaffed\b|\b(?:a|the)\s+staff(?:ing)?\s+shortage\b"
    r"|\b(?:a|an|the|some)\s+(?:\w+\s+)?(?:glitch|outage|power\s+cut|technical\s+(?:issue|problem|error|fault)"
    r"|system\s+(?:error|issue|problem|fault))\b"
    r"|\bthere\s+(?:was|were|has\s+been|have\s+been)\s+(?:a|an|some)\s+(?:\w+\s+)?(?:problem|issue|glitch|error"
    r"|outage|delay|backlog|mix-up|misunderstanding|breakdown|fault|shortage|strike|storm|power\s+cut|problems"
    r"|issues|delays)\b"
)
_CONTRAST_WORD: Final = compile_lower(_CONTRAST)
_NEXT_SENTENCE_REACH: Final = 40  # an explanation "right after" starts this close to the sentence start

# The sentence after an apology explains when it states how things are (a rule, a system, another
# party, the circumstances: "Our carriers deliver until 8 PM.", "At airports there are only…",
# "We're not seeing any issues on our end.") rather than doing something about it. It does not
# when it asks, requests, thanks, acts or promises, shares the customer's view, or gives news of
# the customer's own order ("Your refund is on its way.").
_NOT_AN_EXPLANATION: Final = compile_lower(
    r"^[\"'(]*(?:please|kindly|pls|dm|send|tell|let|can|could|would|will|have\s+you|did|do\s+you|are\s+you|what|when"
    r"|where|which|who|how|why|feel\s+free|reach|contact|follow|click|check|try|go|visit|thank|thanks|ty\b|here(?:'s|\s+is"
    r"|\s+are)|rest\s+assured|good\s+news|no\s+worries|let'?s|your\b|it\s+(?:looks|seems|sounds)|looks\s+like"
    r"|you(?:'re|\s+are)\s+(?:right|welcome|absolutely)|(?:the\s+)?good\s+news"
    r"|(?:it|this|that)\s+(?:was|is)\s+(?:entirely\s+|completely\s+|all\s+)?(?:our|my)\s+(?:own\s+)?(?:mistake|fault"
    r"|error|doing)|we\s+(?:got|messed|made|dropped)\b|you\s+(?:deserve|should(?:n'?t)?\s+have\s+(?:had|been))"
    r"|(?:that|this|it)(?:'s|\s+is|\s+was)\s+(?:not\s+(?:ok|okay|acceptable|good|right|what|how|the)|never|definitely"
    r"|certainly|absolutely|so|really|very|awful|terrible|frustrating|disappointing|unacceptable|great|good)"
    r"|(?:I|we)(?:'ll|'m\s+going|\s+will|\s+shall|'re\s+going|\s+am\s+going|\s+are\s+going|'d\s+(?:like|love|be)"
    r"|\s+would\s+(?:like|love|be)|\s+(?:really\s+|do\s+)?(?:want|hope|value|welcome|take|care|understand|know|hear"
    r"|appreciate|strive|aim|love|see)|\s+can(?!not|'t)\b|\s+could(?!n't|\s+not)\b|(?:'re|\s+are|'m|\s+am)\s+(?:here"
    r"|happy|glad|working|looking|on\s+it|sorry|so|truly|really|checking|investigating|passing|sharing|going)"
    r"|(?:'ve|\s+have)\s+(?:already\s+|just\s+|now\s+|also\s+)?(?!been\b|had\b)(?:\w+ed|sent|made|taken|given|done|put|got|gotten|found"
    r"|set)\b))"
)
_EXPLANATION: Final = compile_lower(
    r"^[\"'(]*(?:but|however|unfortunately|sadly|regrettably|apparently|because|due\s+to|as|since|this\s+(?:was|is"
    r"|happened)|it\s+(?:was|is|happened|has|had)|it's|there(?:'s|\s+is|\s+are|\s+was|\s+were|\s+has|\s+have)|the|our"
    r"|all|some|these|those|sometimes|usually|typically|normally|generally|currently"
    r"|we(?:'re|\s+are|'ve|\s+have|\s+were|\s+had|\s+just|\s+only|\s+do|\s+don't|\s+did|\s+didn't|\s+can't"
    r"|\s+cannot|\s+couldn't|\s+must|\s+need\s+to|\s+have\s+to|'d\s+only|\s+would\s+only)"
    r"|that\s+(?:would|means|meant|is\s+because|was\s+because)|I\s+(?:was|wasn't|had|didn't|couldn't|can't))\b"
)
# A sentence opening on a condition or a setting ("If a product is reduced, …", "At airports, …") is
# judged by its main clause; one that promises ("The next agent will be with you") does not explain.
_FRAMED: Final = compile_lower(
    r"^[\"'(]*(?:(?:if|when|at|in|on|during)\b[^,]{0,100}?(?:,|\bthen\b)\s*"
    r"|(?:at|in|on|during)\s+(?:[\w'-]+\s+){1,3}?(?=(?:there|the|it|we|our|this|these|all)\b))"
)
_PROMISE: Final = compile_lower(
    r"^[^,;]*?\b(?:will|'ll|(?:is|are)\s+going\s+to|on\s+(?:its|their|the|your)\s+way|ships|shipped|arrives"
    r"|(?:is|are)\s+(?:now\s+)?ready|(?:has|have)\s+(?:now\s+|already\s+)?been\s+\w+ed|you\s+can\s+keep)\b"
)
# A remedy done or a way out offered in the sentence makes it news, not an explanation.
_REMEDY: Final = compile_lower(
    r"\b(?:replaced|refunded|fixed|repaired|re-?sent|sent\s+(?:you|a|the|it)|booked|rebooked|credited|upgraded|arranged"
    r"|reissued|corrected|waived|approved|dispatched|resolved|restored|so\s+(?:that\s+)?you\s+can)\b"
)


def explains(text: str, start: int, end: int) -> bool:
    """Whether text[start:end], a sentence right after an apology, explains instead of acting."""
    sentence = text[start:end].rstrip()
    if not sentence or sentence.endswith("?"):
        return False
    framed = _FRAMED.match(sentence)
    if framed is not None:
        return explains(text, start + framed.end(), end) if framed.end() < len(sentence) else False
    return (
        _EXPLANATION.match(sentence) is not None
        and _NOT_AN_EXPLANATION.match(sentence) is None
        and _PROMISE.match(sentence) is None
        and _REMEDY.search(sentence) is None
    )


def excuses(text: str, sentences: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Spans of the explanations that follow an apology, in the given sentences."""
    for index, (start, end) in enumerate(sentences):
        apology = next(APOLOGY.spans(text, start, end), None)
        if apology is None:
            continue
        reason = next(_EXCUSE_CONJUNCTION.spans(text, apology[1], end), None)
        clause = next(
            (s for s in _EXCUSE_CLAUSE.spans(text, apology[1], end) if CLAUSE_BREAK.search(text, apology[1], s[0])),
            None,
        )
        candidates = [span for span in (reason, clause) if span is not None]
        if candidates:
            first = min(candidates)
            yield first[0], clause_end(text, first[0], end)
        elif index + 1 < len(sentences):
            next_start, next_end = sentences[index + 1]
            reach = min(next_end, next_start + _NEXT_SENTENCE_REACH)
            spans = [span for span in _EXCUSE_CLAUSE.spans(text, next_start, next_end) if span[0] < reach]
            spans.extend(
                span
                for span in _EXCUSE_CONJUNCTION.spans(text, next_start, next_end)
                if span[0] == next_start or (span[0] < reach and not _CONTRAST_WORD.fullmatch(text, *span))
            )
            if spans:
                first = min(spans)
                yield first[0], clause_end(text, first[0], next_end)
            elif explains(text, next_start, next_end):
                yield next_start, clause_end(text, next_start, next_end)


# "I'm sorry you feel that way", "sorry if you were upset", "we apologize for any inconvenience (this
# may have caused)": the apology is for the customer's feelings, or for a failure it doubts.
_NON_APOLOGY: Final = matcher(
    r"\b(?:(?:(?:I'?m|I\s+am|we'?re|we\s+are)\s+)?(?:(?:so|very|truly|really)\s+)?sorry"
    r"|(?:I|we)\s+(?:do\s+|sincerely\s+)?apologi[sz]e|(?:my|our)\s+(?:sincere\s+|deepest\s+)?apologies|apologies)"
    r"\s+(?:that\s+|if\s+)?(?:you|they)\s+(?:feel|felt|think|thought|see|saw|view|perceive[sd]?|are\s+(?:upset|unhappy"
    r"|offended)|were\s+(?:upset|unhappy|offended)|took\s+(?:it|this|that)|found)(?:\s+(?:that|this|it))?"
    r"(?:\s+way)?"
    r"|\b(?:sorry|apologi[sz]e|apologies|regret)\s+(?:for\s+|about\s+)?(?:any|whatever)\s+(?:\w+\s+){0,2}"
    r"(?:inconvenience|confusion|trouble|frustration|upset|distress|issues?|problems?|misunderstanding|rudeness)"
    r"(?:\s+(?:this|that|it|which)\s+(?:may|might|could)\s+(?:have\s+)?(?:caused|created|brought))?"
    r"|\b(?:sorry|apologi[sz]e|apologies)\s+if\s+[^.!?\n]{0,60}?"
    r"(?:upset|offended|inconvenienced|caused|felt|seemed|came\s+across|experienced)\b[^.!?\n,]{0,20}?(?=[.!?,\n]|$)"
)
S_NON_APOLOGY: Final = (
    "Apologise for what happened, without “if”, “any” or “you feel”: “I'm sorry we charged you twice.”"
)


def non_apologies(text: str) -> Iterator[tuple[int, int, str]]:
    """Spans of the non-apologies in the text, with their suggestion."""
    for start, end in _NON_APOLOGY.spans(text):
        yield start, end, S_NON_APOLOGY
