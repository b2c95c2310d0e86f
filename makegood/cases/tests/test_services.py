import pytest
import time_machine
from django.core import mail
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from makegood.appendonly import AppendOnlyError
from makegood.cases.kinds import EventKind
from makegood.cases.models import AuditEntry, Status
from makegood.cases.services import CaseActionError, case_record_response, case_take_ownership
from makegood.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_taking_ownership_opens_the_case_and_is_recorded(alice):
    case = make_case()
    case = case_take_ownership(case=case, user=alice)
    assert case.owner == alice
    assert case.status == Status.OPEN
    assert case.first_responded_at is None  # ownership alone does not stop the clock
    kinds = list(case.events.values_list("kind", flat=True))
    assert EventKind.OWNERSHIP_TAKEN in kinds
    assert EventKind.STATUS_CHANGED in kinds


def test_a_frontline_employee_cannot_take_a_case_someone_else_owns(alice, north):
    from makegood.accounts.models import Role
    from makegood.cases.tests.factories import make_staff

    other = make_staff("erin", Role.FRONTLINE, north)
    case = case_take_ownership(case=make_case(), user=alice)
    with pytest.raises(CaseActionError, match="already owns"):
        case_take_ownership(case=case, user=other)
    case.refresh_from_db()
    assert case.owner == alice


def test_a_manager_can_take_over_a_case(alice, bob):
    case = case_take_ownership(case=make_case(), user=alice)
    case = case_take_ownership(case=case, user=bob)
    assert case.owner == bob


def test_another_teams_employee_cannot_take_ownership(charlie, north):
    case = make_case()
    with pytest.raises(CaseActionError):
        case_take_ownership(case=case, user=charlie)


def test_the_first_reply_stops_the_clock_and_is_emailed(alice, django_capture_on_commit_callbacks):
    case = case_take_ownership(case=make_case(channel="email"), user=alice)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_record_response(case=case, user=alice, kind=EventKind.REPLY_SENT, body="I am so sorry, Dana.")
    case.refresh_from_db()
    assert case.first_responded_at is not None
    assert not case.first_response_breached
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith(f"[{case.reference}]")


def test_responding_requires_ownership(alice):
    case = make_case()
    with pytest.raises(CaseActionError, match="Take ownership"):
        case_record_response(case=case, user=alice, kind=EventKind.CONTACT, body="Called her.")
    case.refresh_from_db()
    assert case.first_responded_at is None


def test_a_late_response_counts_as_breached(alice):
    with time_machine.travel("2026-11-02 10:00:00+00:00", tick=False):
        case = case_take_ownership(case=make_case(channel="phone"), user=alice)
    with time_machine.travel("2026-11-02 10:05:00+00:00", tick=False):
        case_record_response(case=case, user=alice, kind=EventKind.CONTACT, body="Spoke with her.")
    case.refresh_from_db()
    assert case.first_response_breached


def test_the_audit_log_refuses_edits_and_deletes(north):
    case = make_case()
    entry = AuditEntry.objects.get(object_id=str(case.pk))
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")


def test_the_database_itself_refuses_audit_updates(north):
    case = make_case()
    from django.db import connection

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_auditentry SET action = 'forged' WHERE object_id = %s", [str(case.pk)])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_finding_the_customer_uses_the_contact_indexes_not_a_scan(north):
    from makegood.cases.customers import customer_find

    now = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        customer_find(email="a@example.com", phone="+15551234567", recent_case_since=now, recent_case_until=now)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[0]["sql"])
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    assert "customer_unique_email" in plan and "customer_unique_phone" in plan, plan
    assert "SCAN c" not in plan, plan


def test_a_customer_created_meanwhile_by_another_intake_is_taken_not_duplicated(north):
    from makegood.cases.customers import customer_create_or_match
    from makegood.cases.models import Customer

    # Another intake created Ana between this one's look-up and its insert.
    theirs = Customer.objects.create(name="Ana", email="ana@example.com")
    with transaction.atomic():
        ours = customer_create_or_match(name="Ana Cruz", email="ana@example.com", phone="+14155550123")
    assert ours.pk == theirs.pk
    assert Customer.objects.count() == 1
    # What this intake knew and theirs did not is learnt.
    assert Customer.objects.get().phone == "+14155550123"
