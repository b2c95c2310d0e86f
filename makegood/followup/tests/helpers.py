"""Shared steps for the follow-up tests: a case resolved by its owner, the sweep, the survey link."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from django.core import mail

from makegood.cases.kinds import EventKind
from makegood.cases.models import Case
from makegood.cases.services import case_record_response, case_resolve, case_take_ownership
from makegood.cases.tests.factories import make_case
from makegood.followup.models import FollowUp
from makegood.followup.tasks import sweep_followups

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LINK_RE = re.compile(r"https?://[^\s]+/survey/([^\s/]+)/")


def resolved_case(owner, *, channel: str = "web", **fields) -> Case:
    """A complaint the owner took, answered and resolved (now): the follow-up is scheduled."""
    case = make_case(channel=channel, **fields)
    case_take_ownership(case=case, user=owner)
    case_record_response(case=case, user=owner, kind=EventKind.CONTACT, body="Called and agreed a fix.")
    return case_resolve(case=case, user=owner, resolution="Sent a replacement.")


def resolve_again(case: Case, owner) -> Case:
    case_record_response(case=case, user=owner, kind=EventKind.CONTACT, body="Called again, fixed it properly.")
    return case_resolve(case=case, user=owner, resolution="Replaced it a second time.")


def sweep(capture) -> dict[str, int]:
    """The periodic sweep, with the tasks it enqueues on commit run at once (as the worker would)."""
    with capture(execute=True):
        return sweep_followups.call()


def survey_paths(since: int = 0) -> list[str]:
    """The survey links e-mailed so far (as paths), oldest first."""
    paths = []
    for message in mail.outbox[since:]:
        for token in LINK_RE.findall(str(message.body)):
            paths.append(f"/survey/{token}/")
    return paths


def follow_up_of(case: Case) -> FollowUp:
    return FollowUp.objects.filter(case=case).order_by("-pk").first()


ANSWER_SATISFIED = {"resolved": "yes", "satisfaction": "5", "comment": "", "suggestion": ""}
ANSWER_UNHAPPY = {"resolved": "no", "satisfaction": "2", "comment": "The new one is broken too.", "suggestion": ""}
