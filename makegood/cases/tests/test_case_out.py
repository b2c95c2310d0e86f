"""`case_out`: the answer to a new case built without ninja's validation is the same JSON as ninja's."""

import json
import warnings
from datetime import timedelta

import pytest
import time_machine
from ninja.responses import NinjaJSONEncoder

from makegood.accounts.models import Role
from makegood.cases.kinds import EventKind
from makegood.cases.models import Case
from makegood.cases.schemas import CaseOut, case_out
from makegood.cases.services import case_record_response, case_take_ownership
from makegood.cases.tests.factories import make_case, make_staff

pytestmark = pytest.mark.django_db


def rendered(schema_instance: CaseOut) -> str:
    # What ninja does with a response model: dump it, then JSON with its encoder.
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pydantic warns when a value does not fit its field
        return json.dumps(schema_instance.model_dump(), cls=NinjaJSONEncoder)


def assert_same_answer(case: Case) -> None:
    assert rendered(case_out(case)) == rendered(CaseOut.model_validate(case))


def test_a_new_case_is_answered_as_ninja_would(north):
    assert_same_answer(make_case())


def test_a_case_without_a_team_or_an_email_is_answered_as_ninja_would(db):
    assert_same_answer(make_case(team=None, customer_email="", customer_phone="+14155550100", channel="phone"))


def test_an_owned_answered_late_case_is_answered_as_ninja_would(alice, north):
    with time_machine.travel("2026-03-02 09:30:00.123456+00:00", tick=False):
        case = make_case()
    with time_machine.travel("2026-03-03 10:00:00+00:00", tick=False):
        case = case_take_ownership(case=case, user=alice)
        case_record_response(case=case, user=alice, kind=EventKind.REPLY_SENT, body="Sorry about the sofa.")
    case = Case.objects.select_related("customer", "team", "owner").get(pk=case.pk)
    assert case.first_response_breached and case.first_responded_at is not None
    assert_same_answer(case)


def test_an_owner_without_a_full_name_is_named_by_username(north):
    owner = make_staff("nameless", Role.FRONTLINE, north)
    case = case_take_ownership(case=make_case(), user=owner)
    assert json.loads(rendered(case_out(case)))["owner"] == {"username": "nameless", "name": "nameless"}
    assert_same_answer(case)


def test_every_field_of_the_answer_is_built(north):
    built = case_out(make_case())
    assert built.model_fields_set == set(CaseOut.model_fields)
    assert built.first_response_due_at - built.received_at == timedelta(hours=1)
