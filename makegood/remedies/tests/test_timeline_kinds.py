"""Remedies write timeline lines of their own kinds (not notes), which the case page labels; the
notes written before they had kinds are converted by a data migration; an approval tells the
employee."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from makegood.cases.kinds import EventKind, event_kind_choices, notification_kind_choices
from makegood.cases.models import CaseEvent, Notification
from makegood.cases.services import case_take_ownership
from makegood.remedies.escalations import approval_decide, escalation_open
from makegood.remedies.kinds import LEGACY_NOTE_KINDS, RemedyEventKind, RemedyNotificationKind
from makegood.remedies.loss import case_loss_record
from makegood.remedies.models import RemedyType
from makegood.remedies.offers import offer_decline
from makegood.remedies.services import remedy_grant
from makegood.remedies.tests.factories import case_with_loss, offer_make

pytestmark = pytest.mark.django_db

migration = importlib.import_module("makegood.remedies.migrations.0004_remedy_timeline_kinds")


def test_remedies_kinds_are_registered_with_the_core():
    registered = dict(event_kind_choices())
    for kind in RemedyEventKind:
        assert registered[kind.value] == kind.label
    assert dict(notification_kind_choices())[RemedyNotificationKind.APPROVED] == "Approval to deliver"


def test_every_remedy_step_writes_its_own_kind_and_no_note(shop, alice, bob):
    case = case_with_loss()
    case_take_ownership(case=case, user=alice)
    case_loss_record(case=case, user=alice, loss_kind="money", severity="severe", loss_amount="120")
    remedy_grant(case=case, user=alice, remedy_type=RemedyType.objects.get(code="handwritten-note"))
    offer_decline(offer=offer_make(case=case, user=alice, demand_amount="120.00"), user=alice)
    approval_decide(escalation=escalation_open(case=case, user=alice), manager=bob, approve=True)
    kinds = list(case.events.filter(kind__startswith="remedy_").order_by("pk").values_list("kind", flat=True))
    assert kinds == [
        RemedyEventKind.LOSS_RECORDED,
        RemedyEventKind.GRANTED,
        RemedyEventKind.OFFERED,
        RemedyEventKind.OFFER_DECLINED,
        RemedyEventKind.ESCALATED,
        RemedyEventKind.APPROVED,
    ]
    assert not case.events.filter(kind=EventKind.NOTE).exists()
    assert not case.events.filter(data__has_key="remedies").exists()


def test_the_case_page_labels_remedy_lines(client, shop, alice):
    case = case_with_loss()
    case_take_ownership(case=case, user=alice)
    remedy_grant(case=case, user=alice, remedy_type=RemedyType.objects.get(code="handwritten-note"))
    client.force_login(alice)
    page = client.get(reverse("case_detail", kwargs={"reference": case.reference})).content.decode()
    assert 'data-kind="remedy_granted"' in page and "Remedy granted" in page
    assert "Granted A handwritten apology from the team." in page


def test_an_approval_notifies_the_employee_who_escalated(shop, alice, bob):
    case = case_with_loss()
    case_take_ownership(case=case, user=alice)
    offer_decline(offer=offer_make(case=case, user=alice, demand_amount="120.00"), user=alice)
    approval_decide(escalation=escalation_open(case=case, user=alice), manager=bob, approve=True)
    told = Notification.objects.get(kind=RemedyNotificationKind.APPROVED)
    assert told.user == alice and told.case == case
    assert told.message == f"{case.reference}: Bob Brown approved Full refund up to $120.00."


def test_the_data_migration_turns_remedy_notes_into_their_kinds_and_back(shop, alice):
    case = case_with_loss()
    notes = {
        name: CaseEvent.objects.create(case=case, kind=EventKind.NOTE, body=name, data={"remedies": name, "x": 1})
        for name in LEGACY_NOTE_KINDS
    }
    plain = CaseEvent.objects.create(case=case, kind=EventKind.NOTE, body="A note.", data={"source": "email"})
    unknown = CaseEvent.objects.create(case=case, kind=EventKind.NOTE, body="?", data={"remedies": "later"})
    migration.forwards(apps, None)
    for name, event in notes.items():
        event.refresh_from_db()
        assert (event.kind, event.data) == (LEGACY_NOTE_KINDS[name], {"x": 1})
    plain.refresh_from_db()
    unknown.refresh_from_db()
    assert (plain.kind, unknown.kind) == (EventKind.NOTE, EventKind.NOTE)
    migration.backwards(apps, None)
    for name, event in notes.items():
        event.refresh_from_db()
        assert (event.kind, event.data) == (EventKind.NOTE, {"x": 1, "remedies": name})
    assert {name: str(kind) for name, kind in LEGACY_NOTE_KINDS.items()} == migration.NOTE_KINDS
