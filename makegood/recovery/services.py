"""Recording the recovery conversation. One function per write; the order rules live here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from makegood.cases.audit import audit_record
from makegood.cases.models import Case, Feeling, Status
from makegood.cases.services import CaseActionError
from makegood.cases.timeline import case_event_add, case_lock
from makegood.recovery.models import RecoveryEventKind, RecoveryStep, StepKind, Suggestion
from makegood.recovery.replies import case_words_check

MAX_STEP_TEXT = 10_000


@dataclass(frozen=True)
class Progress:
    """Where the conversation stands, derived from the steps recorded so far."""

    listened: bool
    confirmed: bool  # the latest repeat-back, after the latest Listen, was confirmed
    solved: bool
    thanked: bool
    done: frozenset[str]

    @property
    def next_step(self) -> str:
        if not self.listened:
            return StepKind.LISTEN
        if not self.confirmed:
            return StepKind.REPEAT_BACK
        for kind in (StepKind.APOLOGIZE, StepKind.EMPATHY, StepKind.SOLVE, StepKind.THANK):
            if kind not in self.done:
                if kind == StepKind.THANK and not self.solved:
                    break
                return kind
        if not self.solved:
            # A solution is on record, but the customer did not accept it: solve it again.
            return StepKind.SOLVE
        return ""


def recovery_progress(steps: list[RecoveryStep]) -> Progress:
    listened = confirmed = solved = thanked = False
    done: set[str] = set()
    for step in steps:
        done.add(step.kind)
        if step.kind == StepKind.LISTEN:
            listened, confirmed = True, False
        elif step.kind == StepKind.REPEAT_BACK:
            confirmed = bool(step.data.get("confirmed"))
            if not confirmed:
                # A correction sends the employee back to listening.
                listened = False
                done.discard(StepKind.LISTEN)
        elif step.kind == StepKind.SOLVE:
            solved = bool(step.data.get("accepted"))
        elif step.kind == StepKind.THANK:
            thanked = True
    return Progress(listened, confirmed, solved, thanked, frozenset(done))


# Why a step cannot come yet, in the words the employee sees.
_ORDER_RULES: dict[str, tuple[str, str]] = {
    StepKind.REPEAT_BACK: ("listened", "Listen to the customer before repeating back what you heard."),
    StepKind.APOLOGIZE: ("listened", "Listen to the customer before apologizing."),
    StepKind.EMPATHY: ("listened", "Listen to the customer before naming how they feel."),
    StepKind.SOLVE: ("confirmed", "Repeat back what you heard, and have the customer confirm it, before solving."),
    StepKind.THANK: ("solved", "Agree on a solution the customer accepts before thanking them and closing."),
}


def recovery_step_blocker(kind: str, progress: Progress) -> str:
    """Why this step cannot be recorded yet, in the employee's words; "" when it can."""
    rule = _ORDER_RULES.get(kind)
    if rule is not None and not getattr(progress, rule[0]):
        return rule[1]
    return ""


def _check_order(kind: str, progress: Progress) -> None:
    blocker = recovery_step_blocker(kind, progress)
    if blocker:
        raise CaseActionError(blocker)


def _clean_text(value: str, field: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: ["This step needs some text: write what was said."]})
    if len(value) > MAX_STEP_TEXT:
        raise ValidationError({field: [f"At most {MAX_STEP_TEXT} characters (this has {len(value)})."]})
    return value


@transaction.atomic
def recovery_step_record(
    *,
    case: Case,
    user: User,
    kind: str,
    text: str,
    expectation: str = "",
    questions: str = "",
    confirmed: bool | None = None,
    correction: str = "",
    feeling: str = "",
    accepted: bool = True,
    suggestion: str = "",
    at: datetime | None = None,
) -> RecoveryStep:
    """Record one step of the conversation on a case the user owns.

    Order is checked against the steps so far (no thanking before listening), but steps can be
    repeated and revisited, as real conversations go.
    """
    if kind not in StepKind.values:
        raise ValidationError({"kind": [f"Unknown step {kind!r}; use one of: {', '.join(StepKind.values)}."]})
    case = case_lock(case, with_customer=False)
    if case.owner_id != user.pk:
        raise CaseActionError("Take ownership of the case before recording the conversation.")
    if case.status not in (Status.NEW, Status.OPEN):
        raise CaseActionError("This case is no longer open; reopen it before recording more of the conversation.")
    progress = recovery_progress(list(case.recovery_steps.all()))
    _check_order(kind, progress)

    data: dict[str, Any] = {}
    text = _clean_text(text, "text", required=kind != StepKind.EMPATHY)
    if kind == StepKind.APOLOGIZE:
        case_words_check(case=case, user=user, text=text)  # the reply form's rules, on the server
    case_fields: list[str] = []
    if kind == StepKind.LISTEN:
        data["questions"] = _clean_text(questions, "questions", required=False)
        expectation = _clean_text(expectation, "expectation", required=False)
        if expectation:
            data["expectation"] = expectation
            case.expectation = expectation
            case_fields.append("expectation")
    elif kind == StepKind.REPEAT_BACK:
        if confirmed is None:
            raise ValidationError({"confirmed": ["Say whether the customer confirmed it or corrected you."]})
        data["confirmed"] = confirmed
        if not confirmed:
            data["correction"] = _clean_text(correction, "correction")
    elif kind == StepKind.EMPATHY:
        if feeling not in Feeling.values:
            raise ValidationError({"feeling": [f"Choose one of: {', '.join(Feeling.values)}."]})
        data.update(
            feeling=feeling, detected=case.detected_feeling, detected_confidence=case.detected_feeling_confidence
        )
        case.feeling = feeling
        case_fields.append("feeling")
    elif kind == StepKind.SOLVE:
        data["accepted"] = accepted
    elif kind == StepKind.THANK:
        suggestion = _clean_text(suggestion, "suggestion", required=False)
        if suggestion:
            data["suggestion"] = suggestion
            Suggestion.objects.create(case=case, text=suggestion, recorded_by=user)

    at = at or timezone.now()
    step = RecoveryStep.objects.create(case=case, kind=kind, text=text, data=data, actor=user, at=at)
    case_event_add(
        case, kind=RecoveryEventKind.RECOVERY_STEP, at=at, actor=user, body=text, data={"step": kind, **data}
    )
    if case_fields:
        before = Case.objects.filter(pk=case.pk).values(*case_fields).get()
        case.save(update_fields=case_fields)
        audit_record(
            actor=user,
            action="case.recovery_updated",
            obj=case,
            changes={f: [before[f], getattr(case, f)] for f in case_fields},
            at=at,
        )
    return step
