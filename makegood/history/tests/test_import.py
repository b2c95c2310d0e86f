"""Importing history: good, bad and repeated files, the command, and the CFPB sample."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from makegood.cases.kinds import EventKind
from makegood.cases.models import AuditEntry, Case, CaseEvent, Status
from makegood.causes.models import CaseCause, Cause
from makegood.followup.models import FollowUp
from makegood.history.importer import csv_rows, history_import

pytestmark = pytest.mark.django_db

SHARED = Path(os.environ.get("MAKEGOOD_SHARED") or Path(settings.BASE_DIR).parent / "shared")
CFPB = SHARED / "data" / "cfpb" / "complaints_sample.csv"

COURIER = "Partner or vendor / Courier lost or damaged the delivery"
GOOD = f"""id,date,name,email,what,cause,via
A-1,2025-01-06,Ada Lovelace,ada@example.com,The courier left my parcel in the rain.,{COURIER},web
A-2,2025/01/07,,,Rude reply at the counter.,Rude or dismissive treatment,in person
A-3,2025-01-08 14:30,Bo,,Stolen bike lock failed,Lock design flaw,phone
"""
MAPPING = {
    "external_id": "id",
    "received_at": "date",
    "customer_name": "name",
    "customer_email": "email",
    "story": "what",
    "root_cause": "cause",
    "channel": "via",
}


def run(text: str, mapping=MAPPING, **options):
    _header, rows = csv_rows(io.StringIO(text))
    return history_import(rows, mapping, **options)


def test_good_rows_become_closed_cases_with_their_timeline_line_audit_entry_and_cause(north):
    report = run(GOOD, team=north)
    assert (report.total, report.imported, report.rejected_count) == (3, 3, 0)
    cases = {c.external_id: c for c in Case.objects.select_related("customer")}
    ada = cases["A-1"]
    assert ada.status == Status.CLOSED
    assert ada.team == north
    assert ada.customer.email == "ada@example.com"
    assert ada.received_at.date().isoformat() == "2025-01-06"
    assert cases["A-2"].channel == "in_person"
    assert cases["A-2"].customer.email == "" and cases["A-2"].customer.phone == ""
    for case in cases.values():
        assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == [EventKind.RECEIVED]
        assert AuditEntry.objects.filter(action="case.imported", object_id=str(case.pk)).count() == 1
    assert CaseCause.objects.get(case=ada).cause.name == "Courier lost or damaged the delivery"
    assert CaseCause.objects.get(case=cases["A-2"]).cause.category.name == "Staff and training"
    created = CaseCause.objects.get(case=cases["A-3"]).cause
    assert (created.category.name, created.name) == ("Imported", "Lock design flaw")


def test_history_sends_nothing_and_schedules_nothing(north):
    run(GOOD, team=north)
    assert mail.outbox == []
    assert not FollowUp.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_bad_rows_are_rejected_with_their_line_and_reason_and_the_rest_imported(north):
    bad = (
        "id,date,name,email,what,cause,via\n"
        "B-1,yesterday,X,,Late,,web\n"
        "B-2,2025-02-01,X,not-an-address,Late,,web\n"
        "B-3,2025-02-01,X,,,,web\n"
        "B-4,2025-02-01,X,,Late,,pigeon\n"
        "B-5,2999-01-01,X,,Late,,web\n"
        "B-6,2025-02-02,X,,Fine row,,web\n"
        "B-6,2025-02-03,X,,Same id again,,web\n"
    )
    report = run(bad)
    assert report.imported == 1
    reasons = dict(report.rejected)
    assert "Unreadable date 'yesterday'" in reasons[2]
    assert "not an e-mail address" in reasons[3]
    assert "Nothing says what happened" in reasons[4]
    assert "Unknown channel 'pigeon'" in reasons[5]
    assert "in the future" in reasons[6]
    assert "appears earlier in this file" in reasons[8]
    assert list(Case.objects.values_list("external_id", flat=True)) == ["B-6"]


def test_importing_the_same_rows_again_creates_nothing_twice(north):
    run(GOOD)
    again = run(GOOD)
    assert (again.imported, again.already_there) == (0, 3)
    assert Case.objects.count() == 3
    assert CaseCause.objects.count() == 3
    assert Cause.objects.filter(name="Lock design flaw").count() == 1


def test_a_known_customer_is_matched_by_e_mail(north):
    from makegood.cases.tests.factories import make_case

    known = make_case(customer_email="ada@example.com").customer
    run(GOOD)
    assert Case.objects.get(external_id="A-1").customer == known


def test_the_command_maps_columns_and_reports(tmp_path, north):
    path = tmp_path / "history.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    maps = [f"{field}={column}" for field, column in MAPPING.items()]
    call_command("import_cases", str(path), "--map", *maps, "--team", "north", stdout=out)
    assert "Imported 3 of 3 rows" in out.getvalue()
    assert "0 rejected" in out.getvalue()
    assert Case.objects.filter(team=north).count() == 3


def test_the_command_refuses_a_column_the_file_does_not_have(tmp_path, north):
    path = tmp_path / "history.csv"
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(CommandError, match="no column 'Date received'"):
        call_command("import_cases", str(path), "--map", "received_at=Date received", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Map a column to received_at"):
        call_command("import_cases", str(path), "--map", "story=what", stdout=io.StringIO())


def test_the_cfpb_sample_imports_cleanly(north):
    if not CFPB.exists():
        pytest.skip(f"The CFPB sample is not at {CFPB} (../shared is absent): nothing to import.")
    mapping = {
        "received_at": "Date received",
        "story": "Consumer complaint narrative",
        "subject": "Sub-issue",
        "external_id": "Complaint ID",
        "root_cause": "Issue",
    }
    with CFPB.open(encoding="utf-8", newline="") as handle:
        _header, rows = csv_rows(handle)
        report = history_import(rows, mapping)
    assert report.rejected == []
    assert report.imported == report.total == 6623 - report.already_there
    assert Case.objects.count() == report.imported
    assert CaseCause.objects.count() == report.imported
    assert Cause.objects.filter(category__name="Imported").count() > 50
