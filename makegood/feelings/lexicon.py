"""Cue words for each feeling, as complaint writers use them.

GoEmotions is Reddit talk: a customer's "I am livid" or "this is a letdown" barely occurs there, so a
model of its words alone misses them. Each feeling's cues become one feature (how many of them the
text uses), and the model learns one weight per feeling from the cues it does see, which then carries
over to the rare ones. A cue ending in `*` matches any word it starts (`frustrat*`: frustrated,
frustrating); other cues match whole words or phrases (texts and cues are compared word by word, so matching is a
dictionary look-up per word). A cue one or two words after a negation ("no worries", "not really
angry") does not count.

Training copies these cues into the model file, so editing them takes effect only after
`makegood train_feelings`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

CUES: dict[str, list[str]] = {
    "angry": [
        "angry", "angrier", "anger", "angered", "furious", "fury", "livid", "outrage*", "rage", "raging",
        "enrag*", "infuriat*", "irate", "fuming", "pissed", "mad at", "so mad", "hate", "hated", "hatred",
        "disgust*", "appall*", "scandalous", "sick of", "fed up", "unacceptable", "shameful", "disgrace*",
        "how dare", "wtf", "bullshit", "scam", "scammed", "scammers", "rip off", "ripoff", "ripped off",
        "robbery", "thieves", "crooks", "criminal", "sue you", "lawyer", "never again",
    ],
    "frustrated": [
        "frustrat*", "annoy*", "irritat*", "ridiculous", "absurd", "nonsense", "still not", "still hasn't",
        "still haven't", "still waiting", "keeps", "kept", "yet again", "once again", "again and again",
        "third time", "waste of time", "wasted", "useless", "pointless", "hassle", "tired of", "sigh", "ugh",
        "seriously", "come on", "why can't", "why won't", "every time", "stupid", "terrible", "awful",
        "worst", "horrible", "pathetic", "incompetent", "nobody", "no one", "ignored", "ignoring",
        "no response", "not acceptable", "disagree", "on hold", "runaround", "run around", "fix this",
    ],
    "disappointed": [
        "disappoint*", "let down", "letdown", "let me down", "let us down", "expected better",
        "expected more", "underwhelm*", "not what i expected", "not as described", "fell short",
        "falls short", "shame", "pity", "too bad", "unfortunately", "was hoping", "had hoped",
        "was looking forward", "were looking forward", "bummer", "meh", "dissatisf*", "unhappy with",
        "not happy", "not impressed", "not satisfied", "not worth", "used to be",
    ],
    "anxious": [
        "worry", "worried", "worries", "worrying", "worrisome", "anxious", "anxiety", "nervous*", "uneasy",
        "stress", "stressed", "stressful", "on edge", "panicking", "concern", "concerned", "what if",
        "dread*", "tense", "restless", "can't sleep", "overwhelm*", "urgent*", "asap", "deadline",
        "overdraft", "overdrawn", "in time", "before rent", "can't afford", "rent is due",
    ],
    "scared": [
        "scared", "scary", "afraid", "fear", "fears", "feared", "frighten*", "terrif*", "horrif*",
        "petrified", "panic", "unsafe", "danger*", "threat*", "hacked", "stolen", "stalk*", "creepy",
        "nightmare", "alarm*", "identity theft", "fraud*", "someone has access", "emergency", "spooked",
    ],
    "sad": [
        "sad", "sadly", "sadden*", "unhappy", "depress*", "heartbr*", "broke my heart", "devastat*",
        "crying", "cried", "cry", "tears", "grief", "griev*", "mourn*", "passed away", "died", "death",
        "lost my", "lonely", "alone", "hurt", "hurts", "sorrow*", "miserable", "upset", "gutted",
        "ruined", "broken", "heavy heart",
    ],
    "confused": [
        "confus*", "don't understand", "do not understand", "doesn't make sense", "does not make sense",
        "makes no sense", "unclear", "puzzl*", "baffl*", "no idea", "not sure", "not clear", "what does",
        "what do you mean", "how come", "why was i", "why is there", "why am i", "what is this",
        "which one", "explain", "clarif*", "huh", "wait what", "i thought", "wondering", "?",
    ],
    "grateful": [
        "thank*", "thx", "grateful", "gratitude", "appreciat*", "cheers", "much obliged", "you saved",
        "saved my", "lifesaver", "life saver", "kind of you", "so kind", "helpful", "you're the best",
        "you are the best", "bless you", "you rock", "great job", "well done", "above and beyond",
        "excellent service",
    ],
}  # fmt: skip

_TOKEN = re.compile(r"\w+(?:'\w+)*|[?.,;:!]")
_STOPS = frozenset(".,;:!?")  # a negation does not reach past these
_NEGATORS = frozenset({"no", "not", "never", "without", "nothing", "hardly"})


def tokens(lowered: str) -> list[str]:
    """Words (with inner apostrophes: "can't") and punctuation marks of a lowercased text."""
    return _TOKEN.findall(lowered)


class CueMatcher:
    """Counts each feeling's cues in a text's tokens: whole words and phrases, and word prefixes."""

    def __init__(self, cues: Mapping[str, Sequence[str]]) -> None:
        phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.prefixes: dict[str, tuple[str, ...]] = {}
        for feeling, words in cues.items():
            starts = []
            for cue in words:
                if cue.endswith("*"):
                    starts.append(cue[:-1])
                else:
                    phrase = tuple(tokens(cue))
                    if phrase:
                        phrases.setdefault(phrase[0], []).append((phrase, feeling))
            if starts:
                self.prefixes[feeling] = tuple(starts)
        # Longest phrase first, so "not happy" is one cue and not "not" + "happy".
        self.phrases = {first: sorted(found, key=lambda p: -len(p[0])) for first, found in phrases.items()}
        self.any_prefix = tuple(p for starts in self.prefixes.values() for p in starts)

    def count(self, lowered: str) -> dict[str, int]:
        words = tokens(lowered)
        found: dict[str, int] = {}
        free_from: dict[str, int] = {}  # a phrase's words do not count again for its feeling
        for i, word in enumerate(words):
            hits: list[tuple[str, int]] = []
            for phrase, feeling in self.phrases.get(word, ()):
                if tuple(words[i : i + len(phrase)]) == phrase:
                    hits.append((feeling, len(phrase)))
            if self.any_prefix and word.startswith(self.any_prefix):
                hits.extend((feeling, 1) for feeling, starts in self.prefixes.items() if word.startswith(starts))
            if not hits or _negated(words, i):
                continue
            for feeling, length in hits:
                if i >= free_from.get(feeling, 0):
                    found[feeling] = found.get(feeling, 0) + 1
                    free_from[feeling] = i + length
        return found


def _negated(words: list[str], i: int) -> bool:
    """A negation one or two words before ("no worries", "not really angry", "don't worry")."""
    for word in reversed(words[max(0, i - 2) : i]):
        if word in _STOPS:
            return False
        if word in _NEGATORS or word.endswith("n't"):
            return True
    return False
