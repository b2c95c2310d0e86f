"""Defaults a new user meets first: who e-mails come from, the time zone customers read, the
favicon, and a README that lists every command."""

import re
from datetime import UTC, datetime
from email.utils import parseaddr
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import get_commands

from makegood.intake.opening import case_open

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


def open_web_case():
    return case_open(channel="web", customer_name="Dana", customer_email="dana@example.com", story="Late again.")


def test_e_mails_come_from_the_business_by_name(north, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        open_web_case()
    sender = mail.outbox[0].from_email
    assert "care team" not in sender.lower()
    assert parseaddr(sender)[0] == settings.BUSINESS_NAME


def test_customers_read_times_in_the_business_time_zone(north, settings, django_capture_on_commit_callbacks):
    settings.BUSINESS_TIME_ZONE = "America/New_York"
    assert settings.TIME_ZONE == "UTC"
    with (
        time_machine.travel(datetime(2026, 3, 10, 15, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case = open_web_case()
    due_local = case.first_response_due_at.astimezone(ZoneInfo("America/New_York"))
    body = mail.outbox[0].body
    assert f"by {due_local:%-d %B %Y, %H:%M %Z}." in body  # EDT, not UTC
    assert "UTC" not in body


def test_the_favicon_is_linked_from_every_page_and_served_at_the_usual_address(client):
    page = client.get("/accounts/login/").content.decode()
    assert re.search(r'<link rel="icon" href="[^"]*favicon\.svg"', page)
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("makegood/favicon.svg")


def test_the_readme_lists_every_makegood_command():
    ours = {name for name, app in get_commands().items() if app.startswith("makegood")}
    assert ours >= {"create_api_token", "seed_demo", "worker"}
    listed = set(re.findall(r"^\| `makegood (\w+)", README.read_text(), flags=re.MULTILINE))
    assert ours - listed == set(), "commands missing from the README's table"
