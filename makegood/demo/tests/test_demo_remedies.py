"""The demo's remedy story, as a person checks it: the brake case is put right first (the service
redone today) and gets something extra after; the double charge is reversed without touching the
compensation cap."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from makegood.cases.models import Case
from makegood.demo.services import demo_load
from makegood.remedies.authority import authority_remaining
from makegood.remedies.demands import demand_answer
from makegood.remedies.models import Grant, Purpose, RemedyKind
from makegood.remedies.offers import offer_choose
from makegood.remedies.panel_state import remedy_panel_state

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 17, 15, 0, tzinfo=UTC)


@pytest.fixture
def demo():
    demo_load(seed=7, cases=40, now=NOW)


def test_every_owned_demo_case_has_its_loss_recorded_by_its_owner(demo):
    owned = Case.objects.filter(owner__isnull=False)
    assert owned.exists()
    assert not owned.filter(loss_kind="").exists()
    assert Case.objects.filter(owner__isnull=False, loss_amount__isnull=False).exists()


def test_the_brake_case_is_put_right_first_and_gets_something_extra_after(demo):
    case = Case.objects.get(external_id="WS-20417")
    sam = User.objects.get(username="sam")
    assert (case.owner, case.loss_kind, case.loss_amount, case.is_open) == (
        sam,
        "failed_service",
        Decimal("89.00"),
        True,
    )
    before = remedy_panel_state(case=case, user=sam)
    assert before.restore is not None and before.restore.kind == RemedyKind.REDO_SERVICE
    assert before.extra is None  # nothing extra before it is put right

    # "Fix it properly today and refund the $89": beyond Sam's $50, so options, restoring first.
    answer = demand_answer(case=case, user=sam, demand_kind=RemedyKind.REFUND_FULL, demand_amount="89.00")
    assert answer.outcome == "offered"
    first = answer.offer.options[0]
    assert (first["kind"], first["purpose"], first["amount"]) == ("redo_service", "restitution", "89.00")
    assert first["name"] == "Redo the service today, by the head mechanic"
    assert all(o["purpose"] == "compensation" for o in answer.offer.options[1:])

    grant = offer_choose(offer=answer.offer, user=sam, index=0)
    assert (grant.kind, grant.purpose, grant.value) == ("redo_service", Purpose.RESTITUTION, Decimal("89.00"))
    after = remedy_panel_state(case=Case.objects.get(pk=case.pk), user=sam)
    assert after.restore is None and after.extra is not None and after.extra.purpose == Purpose.COMPENSATION
    assert authority_remaining(user=sam, case_id=case.pk).left_on_case == Decimal("50.00")


def test_the_double_charge_is_reversed_without_touching_the_compensation_cap(demo):
    case = Case.objects.get(external_id="RC-488105")
    priya = User.objects.get(username="priya")
    cap_before = authority_remaining(user=priya, case_id=case.pk)
    answer = demand_answer(case=case, user=priya, demand_kind=RemedyKind.REVERSE_CHARGE, demand_amount="349.00")
    assert answer.outcome == "granted"
    grant = Grant.objects.get(pk=answer.grant.pk)
    assert (grant.kind, grant.purpose, grant.amount, grant.charged_to) == (
        "reverse_charge",
        Purpose.RESTITUTION,
        Decimal("349.00"),
        priya,
    )
    after = authority_remaining(user=priya, case_id=case.pk)
    assert (after.left_on_case, after.left_today) == (cap_before.left_on_case, cap_before.left_today)
    assert after.left_on_case == Decimal("50.00")
