"""Opening a case (`intake.opening`): acknowledged at once, the clock started, the customer matched."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from makegood.cases.kinds import EventKind
from makegood.cases.models import AuditEntry, Case, Customer, ResponseTarget
from makegood.cases.tests.factories import make_case
from makegood.intake.opening import case_open

pytestmark = pytest.mark.django_db


def test_opening_a_case_acknowledges_it_at_once_and_starts_the_clock(north):
    with time_machine.travel("2026-11-02 10:00:00+00:00", tick=False):
        case = make_case(channel="web")
    assert case.reference == f"MG-2026-{case.pk:06d}"
    assert case.acknowledged_at == case.received_at
    assert case.first_response_due_at - case.received_at == timedelta(hours=1)
    assert case.team == north
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.RECEIVED, EventKind.ACKNOWLEDGED]
    assert AuditEntry.objects.filter(action="case.opened", object_id=str(case.pk)).exists()


def test_live_channels_get_a_one_minute_clock(north):
    case = make_case(channel="phone", customer_email="", customer_phone="+1 415 555 0100")
    assert case.first_response_due_at - case.received_at == timedelta(minutes=1)


def test_an_administrator_changed_target_applies_to_new_cases(north):
    target = ResponseTarget.objects.get(channel="email")
    target.target = timedelta(minutes=30)
    target.save()  # as the admin saves it: the per-process clock cache is dropped on save
    case = make_case(channel="email")
    assert case.first_response_due_at - case.received_at == timedelta(minutes=30)


def test_web_and_email_complainants_get_an_acknowledgement_email(north, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(channel="web")
    assert len(mail.outbox) == 1
    assert case.reference in mail.outbox[0].subject
    assert mail.outbox[0].to == ["dana@example.com"]
    assert case.events.filter(kind=EventKind.ACK_EMAIL_SENT).count() == 1


def test_phone_complainants_get_no_acknowledgement_email(north):
    make_case(channel="phone")
    assert mail.outbox == []


def test_customers_are_matched_by_email_then_phone(north):
    first = make_case(customer_email="Dana@Example.com", customer_phone="")
    second = make_case(customer_email="dana@example.com", customer_phone="+14155550100")
    third = make_case(customer_email="", customer_phone="(415) 555-0100")
    assert first.customer_id == second.customer_id == third.customer_id
    customer = Customer.objects.get()
    assert customer.email == "dana@example.com"
    assert customer.phone == "+14155550100"


def test_bad_intake_names_every_field_and_writes_nothing(north):
    with pytest.raises(ValidationError) as excinfo:
        case_open(channel="fax", customer_name="x" * 300, customer_email="not-an-email", story="  ")
    errors = excinfo.value.message_dict
    assert set(errors) == {"channel", "customer_name", "customer_email", "story"}
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0


def test_a_complaint_needs_some_way_to_reply(north):
    with pytest.raises(ValidationError) as excinfo:
        case_open(channel="web", customer_name="Anon", story="Bad.")
    assert "customer_email" in excinfo.value.message_dict


def test_a_second_failure_within_90_days_is_flagged(north):
    with time_machine.travel("2026-08-01 10:00:00+00:00", tick=False):
        first = make_case()
    with time_machine.travel("2026-10-01 10:00:00+00:00", tick=False):
        second = make_case()
    with time_machine.travel("2027-03-01 10:00:00+00:00", tick=False):
        much_later = make_case()
    assert not first.is_repeat_failure
    assert second.is_repeat_failure
    assert not much_later.is_repeat_failure


def test_opening_a_case_names_the_feeling_in_the_customers_words(north):
    scared = make_case(story="I am terrified, someone used my card and I am scared they will empty my account.")
    grateful = make_case(
        customer_email="gus@example.com", story="Thank you so much, you were wonderful, truly grateful!"
    )
    assert scared.detected_feeling == "scared" and 0 < scared.detected_feeling_confidence <= 1
    assert grateful.detected_feeling == "grateful"
    assert Case.objects.get(pk=scared.pk).detected_feeling == "scared"


def test_intake_reads_before_it_writes_and_writes_in_one_short_transaction(north):
    make_case()  # a known customer, and the default team remembered
    with CaptureQueriesContext(connection) as queries:
        make_case(story="Second failure in a month.")
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    # Reads first (the customer with their recent cases), then only writes until the commit.
    first_write = statements.index("INSERT")
    assert all(s == "SELECT" for s in statements[:first_write] if s not in ("BEGIN", "SAVEPOINT"))
    assert "SELECT" not in statements[first_write:]
