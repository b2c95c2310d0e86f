"""Recovery's cards on the case page: where the guided recovery stands, and the reply to the
customer with the live coach; and how a recovery step reads on the timeline.

Both cards read the timeline the page already has (every step is an event too), so they cost the
page no query; the coach runs only on a refused reply coming back.
"""

from __future__ import annotations

from typing import Any

from makegood.cases.models import Status
from makegood.cases.panels import CasePage, Panel, register_case_panel, register_timeline_template
from makegood.recovery.forms import ResponseForm
from makegood.recovery.models import RecoveryEventKind, RecoveryStep
from makegood.recovery.services import recovery_progress
from makegood.recovery.views import coach_for_text

CSS = ("makegood/recovery.css",)
JS = ("makegood/coach.js",)


def recovery_card(page: CasePage) -> dict[str, Any] | None:
    """For the owner of an open case: the next step, read off the timeline."""
    if not (page.is_owner and page.case.is_open):
        return None
    recorded = [
        RecoveryStep(kind=event.data.get("step", ""), data=event.data)
        for event in page.events
        if event.kind == RecoveryEventKind.RECOVERY_STEP
    ]
    return {"recovery_next": recovery_progress(recorded).next_step, "recovery_started": bool(recorded)}


def reply_form(page: CasePage) -> dict[str, Any] | None:
    """For the owner of a case not closed. A refused reply comes back with the coach's findings,
    no JavaScript needed."""
    case = page.case
    if not (page.is_owner and case.status != Status.CLOSED):
        return None
    form = page.bound.get("respond") or ResponseForm(case=case)
    coach = None
    if form.is_bound and form.data.get("body"):
        coach = coach_for_text(
            case, page.user, str(form.data.get("body", "")), purpose="reply", kind=str(form.data.get("kind", ""))
        )
    return {"response_form": form, "reply_coach": coach}


def register_panels() -> None:
    register_case_panel(
        "case_side",
        Panel(name="recovery", template="recovery/_case_recover.html", order=20, context=recovery_card, css=CSS),
    )
    register_case_panel(
        "case_side",
        Panel(name="respond", template="recovery/_case_respond.html", order=30, context=reply_form, css=CSS, js=JS),
    )
    register_timeline_template(RecoveryEventKind.RECOVERY_STEP, "recovery/_timeline_step.html", css=CSS)
