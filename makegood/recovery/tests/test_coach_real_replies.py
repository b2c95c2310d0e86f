"""The coach on real replies labelled by people (`../shared/data/coach/replies_dev.tsv`): floors just
under the figures `bench/coach.py` prints, so that the coach cannot quietly get worse.

The file is for measuring only (its licence forbids training on it or copying it into the project);
these tests skip when `../shared` is absent.
"""

from pathlib import Path

import pytest
from django.conf import settings

from makegood.recovery.coach import Rule
from makegood.recovery.coach.evaluation import Counts, coach_flags, read_replies, score

REPLIES = Path(settings.BASE_DIR).parent / "shared" / "data" / "coach" / "replies_dev.tsv"

pytestmark = pytest.mark.skipif(
    not REPLIES.is_file(), reason=f"{REPLIES} is absent (../shared is not beside the project): nothing to measure"
)

# (precision, recall, F1) floors per rule, just under what the coach reaches (bench/coach.py).
FLOORS = {
    Rule.SAYS_NO: (0.97, 0.93, 0.95),
    Rule.PASSES_BUCK: (0.95, 0.93, 0.94),
    Rule.BLAMES: (0.95, 0.75, 0.85),
    Rule.EXCUSE_AFTER_APOLOGY: (0.95, 0.90, 0.93),
}
# The lowest F1 of any company for a rule it has at least three labelled replies of.
COMPANY_FLOOR = 0.78


@pytest.fixture(scope="module")
def scores():
    return score(read_replies(REPLIES), coach_flags)


@pytest.mark.parametrize("rule", list(FLOORS), ids=lambda rule: rule.value)
def test_the_coach_stays_above_its_floors_on_real_replies(scores, rule):
    counts: Counts = scores.per_rule[rule]
    precision, recall, f1 = FLOORS[rule]

    assert counts.precision >= precision, counts
    assert counts.recall >= recall, counts
    assert counts.f1 >= f1, counts


def test_a_false_no_is_rare_because_it_blocks_a_frontline_employee(scores):
    assert scores.per_rule[Rule.SAYS_NO].precision >= 0.90


def test_no_company_is_a_blind_spot(scores):
    judged = scores.company_figures()

    assert judged, "no company has three labelled replies of any rule"
    worst_company, worst_rule, worst = judged[0]
    assert worst.f1 >= COMPANY_FLOOR, (worst_company, worst_rule, worst)
