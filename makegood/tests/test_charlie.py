"""The Charlie test, over everything: every page's URL pattern and every API operation, tried by
people of another team (a frontline employee and a manager) and by someone not signed in, with
the real identifiers of the demo's other teams' cases and records. None of them may get anything:
a 401, 403 or 404, a redirect to the login, or a page of their own that names nothing of the
other teams' (no case reference, no customer's e-mail address)."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from makegood.accounts.services import api_token_issue
from makegood.cases.models import Attachment, Case, Notification
from makegood.followup.models import FollowUp
from makegood.intake.models import InboundMessage
from makegood.remedies.models import Authorization, Escalation, Offer, Payment
from makegood.tests.urlwalk import operations, pages

OUTSIDER_TEAM = "old-town-store"  # jake (frontline) and anya (manager) in the demo
PUBLIC_PAGES = {"login", "home", "favicon", "complaint_form", "complaint_thanks", "followup_survey"}
NEVER_ALLOWED = {403, 404, 405}


def their_ids() -> dict[str, str]:
    """One identifier of each kind of record, from cases the outsiders may not see."""
    theirs = Case.objects.exclude(team__slug=OUTSIDER_TEAM)
    found = {
        "attachment_id": Attachment.objects.filter(case__in=theirs).first(),
        "offer_id": Offer.objects.filter(case__in=theirs).first(),
        "escalation_id": Escalation.objects.filter(case__in=theirs).first(),
        "authorization_id": Authorization.objects.filter(case__in=theirs).first(),
        "payment_id": Payment.objects.filter(case__in=theirs).first(),
        "follow_up_id": FollowUp.objects.filter(case__in=theirs).first(),
        "inbound_id": InboundMessage.objects.filter(case__in=theirs).first(),
        "notification_id": Notification.objects.exclude(user__staff__team__slug=OUTSIDER_TEAM).first(),
    }
    ids = {name: str(record.pk) for name, record in found.items() if record is not None}
    ids["reference"] = theirs.order_by("pk").first().reference
    return ids


def fill(template: str, ids: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group("name")
        return ids.get(name, {"kind": "listen", "token": "x"}.get(name, "1"))

    return re.sub(r"[<{](?:\w+:)?(?P<name>\w+)[>}]", value, template)


def secrets() -> list[str]:
    """What only the other teams' staff may see: their cases' references and their customers'
    e-mail addresses (of customers who never came to the outsiders' team)."""
    theirs = Case.objects.exclude(team__slug=OUTSIDER_TEAM).select_related("customer")
    ours = set(Case.objects.filter(team__slug=OUTSIDER_TEAM).values_list("customer_id", flat=True))
    found = [case.reference for case in theirs]
    found += [case.customer.email for case in theirs if case.customer.email and case.customer_id not in ours]
    return found


@pytest.fixture(scope="module")
def demo(module_transaction) -> None:
    """Loaded once for the three walks; each walk's changes are rolled back (conftest.py)."""
    call_command("seed_demo", "--cases", "60", stdout=io.StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "jake", "anya"])
def test_nobody_from_another_team_and_nobody_signed_out_gets_anything(demo, who):
    ids = their_ids()
    hidden = secrets()
    assert {"reference", "follow_up_id"} <= set(ids) and len(hidden) > 40  # the demo has what the walk needs
    problems: list[str] = []

    def check(who: str, method: str, url: str, response, *, public: bool = False) -> None:
        status = response.status_code
        body = response.content.decode("utf-8", "replace")
        if status >= 500:
            problems.append(f"{who} {method} {url}: {status}")
        if who == "anonymous" and not public and status not in (302, 401, *NEVER_ALLOWED):
            problems.append(f"{who} {method} {url}: {status}, expected the login or a refusal")
        login = response.get("Location", "").startswith("/accounts/login/")
        if status == 302 and who == "anonymous" and not public and not login:
            problems.append(f"{who} {method} {url}: redirected to {response['Location']}")
        leaked = [secret for secret in hidden if secret in body]
        if leaked:
            problems.append(f"{who} {method} {url}: {status} shows {leaked[:3]}")

    client = Client()
    token = {}
    if who != "anonymous":
        user = User.objects.get(username=who)
        assert user.staff.team.slug == OUTSIDER_TEAM
        client.force_login(user)
        token = {"Authorization": f"Bearer {api_token_issue(user=user)}"}
    for page in pages():
        if page.name == "logout":
            continue
        url = "/" + fill(page.route, ids)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            check(who, method.upper(), url, response, public=page.name in PUBLIC_PAGES)
    for operation in operations():
        url = fill(operation.path, ids)
        response = client.generic(operation.method, url, json.dumps({}), content_type="application/json", headers=token)
        check(who, operation.method, url, response)
        if who == "anonymous" and response.status_code != 401:
            problems.append(f"anonymous {operation.method} {url}: {response.status_code}, expected 401")

    assert problems == []
