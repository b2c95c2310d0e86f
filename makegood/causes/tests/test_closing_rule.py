"""The closing rule: no resolution without a root cause and a system/person flag, whichever way in."""

import pytest
from django.core.exceptions import ValidationError

from makegood.cases.models import AuditEntry, CaseEvent, Status
from makegood.cases.services import case_resolve, case_take_ownership
from makegood.cases.tests.factories import make_case
from makegood.causes.models import CaseCause, CauseEventKind, Choice, Failure, Source
from makegood.causes.services import case_cause_set

pytestmark = pytest.mark.django_db


def owned_case(owner, **fields):
    case = make_case(**fields)
    return case_take_ownership(case=case, user=owner)


def test_a_case_cannot_be_resolved_without_a_cause(alice):
    case = owned_case(alice)
    with pytest.raises(ValidationError) as refused:
        case_resolve(case=case, user=alice, resolution="Sent a new one.")
    assert "root cause" in refused.value.message_dict["cause"][0]
    case.refresh_from_db()
    assert case.status == Status.OPEN
    assert not CaseEvent.objects.filter(case=case, kind="status_changed", data__to="resolved").exists()


def test_with_a_cause_and_a_failure_the_case_resolves(alice, delivery):
    case = owned_case(alice)
    case_cause_set(case=case, user=alice, cause=delivery, failure=Failure.SYSTEM)
    case = case_resolve(case=case, user=alice, resolution="Sent a new one.")
    assert case.status == Status.RESOLVED


def test_setting_a_cause_writes_a_timeline_line_and_an_audit_entry(alice, delivery):
    case = owned_case(alice)
    case_cause_set(case=case, user=alice, cause=delivery, failure=Failure.SYSTEM)
    event = CaseEvent.objects.get(case=case, kind=CauseEventKind.CAUSE_SET)
    assert event.body == "Partner or vendor / Courier lost or damaged the delivery (the system or a process)."
    assert event.actor == alice
    audit = AuditEntry.objects.get(action="case.cause_set", object_id=str(case.pk))
    assert audit.changes["cause"] == [None, delivery.pk]
    assert audit.changes["failure"] == [None, "system"]


def test_changing_the_cause_is_another_line_and_entry_and_setting_the_same_again_is_none(alice, delivery, rude):
    case = owned_case(alice)
    case_cause_set(case=case, user=alice, cause=delivery, failure=Failure.SYSTEM)
    case_cause_set(case=case, user=alice, cause=delivery, failure=Failure.SYSTEM)
    case_cause_set(case=case, user=alice, cause=rude, failure=Failure.PERSON)
    bodies = list(CaseEvent.objects.filter(case=case, kind=CauseEventKind.CAUSE_SET).values_list("body", flat=True))
    assert bodies == [
        "Partner or vendor / Courier lost or damaged the delivery (the system or a process).",
        "Changed to Staff and training / Rude or dismissive treatment (a one-off by a person).",
    ]
    assert AuditEntry.objects.filter(action="case.cause_set", object_id=str(case.pk)).count() == 2
    assert CaseCause.objects.get(case=case).failure == Failure.PERSON


def test_the_failure_must_be_system_or_person(alice, delivery):
    case = owned_case(alice)
    with pytest.raises(ValidationError) as refused:
        case_cause_set(case=case, user=alice, cause=delivery, failure="")
    assert "failure" in refused.value.message_dict
    assert not CaseCause.objects.filter(case=case).exists()


def test_a_retired_cause_cannot_be_chosen(alice, delivery):
    delivery.active = False
    delivery.save()
    with pytest.raises(ValidationError) as refused:
        case_cause_set(case=owned_case(alice), user=alice, cause=delivery, failure=Failure.SYSTEM)
    assert "retired" in refused.value.message_dict["cause"][0]


def test_an_employee_of_another_team_cannot_set_the_cause(alice, charlie, delivery):
    from makegood.cases.services import CaseActionError

    case = owned_case(alice)
    with pytest.raises(CaseActionError):
        case_cause_set(case=case, user=charlie, cause=delivery, failure=Failure.SYSTEM)


@pytest.mark.parametrize(
    ("picked", "choice"), [(0, Choice.FIRST), (1, Choice.OTHER), (None, Choice.OWN)], ids=["first", "other", "own"]
)
def test_what_the_employee_did_with_the_suggestions_is_recorded(alice, delivery, rude, weather, picked, choice):
    shown = [
        {"cause": delivery.pk, "label": delivery.label, "probability": 0.6},
        {"cause": rude.pk, "label": rude.label, "probability": 0.3},
    ]
    cause = [delivery, rude][picked] if picked is not None else weather
    set_ = case_cause_set(
        case=owned_case(alice), user=alice, cause=cause, failure=Failure.SYSTEM, suggested=shown, source=Source.RULES
    )
    assert set_.choice == choice
    assert set_.source == Source.RULES


def test_the_resolve_form_on_the_case_page_says_why_it_refuses(client, alice):
    case = owned_case(alice)
    client.force_login(alice)
    response = client.post(f"/cases/{case.reference}/resolve/", {"resolution": "Done."})
    assert response.status_code == 200
    assert "Choose the root cause" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.OPEN
