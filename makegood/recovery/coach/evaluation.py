"""Measuring the coach on labelled replies: precision, recall and F1 per rule, overall and per company.

The labelled file is a TSV with a header: `tweet_id`, `company`, one 0/1 column per rule name
(`says_no`, `passes_buck`, `blames`, `excuse_after_apology`; other columns are ignored) and
`reply`. A reply counts as flagged for a rule when the coach has at least one finding of that rule
in it, read as a frontline employee's message in the middle of a conversation (not a first reply,
not a closing one). `bench/coach.py` prints these figures; the tests hold floors under them.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from makegood.recovery.coach import coach_reply
from makegood.recovery.coach.rules import Rule

LABELLED_RULES: Final = (Rule.SAYS_NO, Rule.PASSES_BUCK, Rule.BLAMES, Rule.EXCUSE_AFTER_APOLOGY)
# Issue 16's targets: F1 per rule, and the precision of "no" (a false "no" blocks a frontline employee).
TARGET_F1: Final = {Rule.SAYS_NO: 0.90, Rule.PASSES_BUCK: 0.85, Rule.BLAMES: 0.75, Rule.EXCUSE_AFTER_APOLOGY: 0.75}
TARGET_PRECISION: Final = {Rule.SAYS_NO: 0.90}
# A company's figure for a rule is judged once it has this many replies labelled with the rule.
COMPANY_MIN_POSITIVES: Final = 3


@dataclass(frozen=True)
class LabelledReply:
    reply_id: str
    company: str
    text: str
    labels: frozenset[Rule]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def positives(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, truth: bool, flagged: bool) -> None:
        if truth and flagged:
            self.tp += 1
        elif flagged:
            self.fp += 1
        elif truth:
            self.fn += 1


@dataclass
class Scores:
    per_rule: dict[Rule, Counts] = field(default_factory=lambda: {rule: Counts() for rule in LABELLED_RULES})
    per_company: dict[tuple[str, Rule], Counts] = field(default_factory=dict)
    misses: list[tuple[Rule, str, LabelledReply]] = field(default_factory=list)  # ("missed" | "false alarm")

    def company_figures(self, minimum: int = COMPANY_MIN_POSITIVES) -> list[tuple[str, Rule, Counts]]:
        """(company, rule, counts) for each company with at least `minimum` replies labelled with
        the rule, worst F1 first."""
        rows = [(company, rule, counts) for (company, rule), counts in self.per_company.items()]
        judged = [row for row in rows if row[2].positives >= minimum]
        return sorted(judged, key=lambda row: (row[2].f1, row[0], row[1]))

    def companies_pooled(self) -> list[tuple[str, Counts]]:
        """Each company's counts over the four rules together, worst F1 first (companies with a label
        or a false alarm only)."""
        pooled: dict[str, Counts] = {}
        for (company, _rule), counts in self.per_company.items():
            total = pooled.setdefault(company, Counts())
            total.tp += counts.tp
            total.fp += counts.fp
            total.fn += counts.fn
        rows = [(company, counts) for company, counts in pooled.items() if counts.tp + counts.fp + counts.fn]
        return sorted(rows, key=lambda row: (row[1].f1, -(row[1].fp + row[1].fn), row[0]))

    def targets_met(self) -> dict[str, bool]:
        """Each target of the issue, overall and per company, and whether it is met."""
        met: dict[str, bool] = {}
        for rule in LABELLED_RULES:
            counts = self.per_rule[rule]
            met[f"{rule.value} F1 >= {TARGET_F1[rule]}"] = counts.f1 >= TARGET_F1[rule]
            if rule in TARGET_PRECISION:
                met[f"{rule.value} precision >= {TARGET_PRECISION[rule]}"] = counts.precision >= TARGET_PRECISION[rule]
        for company, rule, counts in self.company_figures():
            met[f"{company} {rule.value} F1 >= {TARGET_F1[rule]}"] = counts.f1 >= TARGET_F1[rule]
        return met


def read_replies(path: Path) -> list[LabelledReply]:
    """The labelled replies of a TSV (see the module's docstring)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    replies = []
    for row in rows:
        labels = frozenset(rule for rule in LABELLED_RULES if (row.get(rule.value) or "0").strip() == "1")
        replies.append(LabelledReply(row["tweet_id"], row["company"], row["reply"] or "", labels))
    return replies


def score(replies: Iterable[LabelledReply], flagged: Callable[[str], set[Rule]]) -> Scores:
    """Scores of `flagged` (the rules found in a text) against the labels."""
    scores = Scores()
    for reply in replies:
        found = flagged(reply.text)
        for rule in LABELLED_RULES:
            truth, hit = rule in reply.labels, rule in found
            scores.per_rule[rule].add(truth, hit)
            scores.per_company.setdefault((reply.company, rule), Counts()).add(truth, hit)
            if truth != hit:
                scores.misses.append((rule, "missed" if truth else "false alarm", reply))
    return scores


def coach_flags(text: str) -> set[Rule]:
    """The rules the coach finds in a frontline employee's message in mid-conversation."""
    return {finding.rule for finding in coach_reply(text, role="frontline", closing=False).findings}


def miss_counts(scores: Scores, rules: Sequence[Rule] = LABELLED_RULES) -> Counter[tuple[Rule, str]]:
    return Counter((rule, kind) for rule, kind, _reply in scores.misses if rule in rules)
