"""The monthly digest: once per person and month, last month's figures for their scope, with changes."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from makegood.accounts.models import Role
from makegood.cases.tests.factories import make_staff
from makegood.insights.digest import digests_due
from makegood.insights.rollup import figures_refresh
from makegood.insights.tests.fixtures import build_month

pytestmark = pytest.mark.django_db


def test_on_the_first_managers_and_process_owners_get_last_months_figures_once(
    alice, bob, south, django_capture_on_commit_callbacks
):
    build_month(alice, bob)
    figures_refresh(full=True)
    bob.email = "bob@example.com"
    bob.save()
    owner = make_staff("pat", Role.PROCESS_OWNER, south)
    owner.email = "pat@example.com"
    owner.save()
    alice.email = "alice@example.com"
    alice.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_due(date(2026, 4, 1)) == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"bob@example.com", "pat@example.com"}  # not the frontline employee
    body = by_to["bob@example.com"].body
    assert by_to["bob@example.com"].subject == "Your recovery figures for March 2026"
    assert "Complaints received: 6 (before: 0, +6)" in body
    assert "One-touch resolution: 60% (before: no data)" in body
    assert "team North" in body and "first_day=2026-03-01&last_day=2026-03-31" in body
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_due(date(2026, 4, 1)) == 0 and digests_due(date(2026, 4, 2)) == 0
    assert len(mail.outbox) == 2


def test_nothing_goes_out_in_the_middle_of_the_month(bob):
    bob.email = "bob@example.com"
    bob.save()
    assert digests_due(date(2026, 4, 15)) == 0
    assert mail.outbox == []
