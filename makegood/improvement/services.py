"""Writing process fixes: open one, move it along (open -> in progress -> live -> reviewed), link
cases, reopen it when complaints climb back, and record the business's weekly volumes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from makegood.cases.audit import audit_record
from makegood.cases.models import Case
from makegood.cases.selectors import cases_visible_to
from makegood.cases.services import CaseActionError
from makegood.cases.timeline import case_event_add
from makegood.causes.models import Cause
from makegood.improvement.access import can_run_action, can_run_cause
from makegood.improvement.effect import action_effect
from makegood.improvement.models import (
    ActionState,
    ImprovementAction,
    ImprovementEventKind,
    OwnerNotice,
    VolumeWeek,
)
from makegood.improvement.series import week_of

MAX_TITLE = 200
MAX_LINKED = 500

# Forward only, one step at a time; `action_reopen` is the one way back (the CUSUM saw a relapse).
NEXT_STATE = {ActionState.OPEN: ActionState.IN_PROGRESS, ActionState.IN_PROGRESS: ActionState.LIVE}


def notice_send(*, user_id: int | None, message: str, url: str = "", at: datetime | None = None) -> None:
    if user_id is not None:
        OwnerNotice.objects.create(
            user_id=user_id, message=message[:300], url=url[:300], created_at=at or timezone.now()
        )


def _validate(title: str, expected_reduction: int, due_on: date, review_on: date) -> str:
    errors: dict[str, list[str]] = {}
    title = " ".join(title.split())
    if not title:
        errors["title"] = ["Say what will change."]
    elif len(title) > MAX_TITLE:
        errors["title"] = [f"At most {MAX_TITLE} characters."]
    if not 1 <= expected_reduction <= 100:
        errors["expected_reduction"] = ["State the fall you expect, between 1% and 100%."]
    if review_on < due_on:
        errors["review_on"] = ["The review comes after the fix is due, once there is something to measure."]
    if errors:
        raise ValidationError(errors)
    return title


def _link(action: ImprovementAction, cases: Iterable[Case], *, user: User, at: datetime) -> int:
    """Link the cases the user may see (and are of the action's cause); a timeline line on each."""
    wanted = list(cases)
    if len(wanted) > MAX_LINKED:
        raise ValidationError({"cases": [f"Link at most {MAX_LINKED} cases at once."]})
    ids = {c.pk for c in wanted}
    visible = set(cases_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    if visible != ids:
        raise ValidationError({"cases": ["Some of these cases do not exist or are not yours to see."]})
    already = set(action.cases.values_list("pk", flat=True))
    new = [c for c in wanted if c.pk not in already]
    action.cases.add(*new)
    for case in new:
        case_event_add(
            case, kind=ImprovementEventKind.FIX_LINKED, at=at, actor=user, body=action.title, data={"action": action.pk}
        )
    return len(new)


@transaction.atomic
def action_open(
    *,
    cause: Cause,
    user: User,
    title: str,
    owner: User,
    due_on: date,
    expected_reduction: int,
    review_on: date,
    description: str = "",
    cases: Iterable[Case] = (),
    at: datetime | None = None,
) -> ImprovementAction:
    """Open a fix for a cause: what will change, who owns it, by when, and, stated now, before it
    goes live, the reduction expected and when it will be reviewed."""
    if not can_run_cause(user, cause):
        raise PermissionDenied("Only the cause's owner or a process owner opens fixes for it.")
    title = _validate(title, expected_reduction, due_on, review_on)
    now = at or timezone.now()
    action = ImprovementAction.objects.create(
        cause=cause,
        title=title,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        expected_reduction=expected_reduction,
        review_on=review_on,
        created_by=user,
        created_at=now,
    )
    linked = _link(action, cases, user=user, at=now)
    audit_record(
        actor=user,
        action="improvement.action_opened",
        obj=action,
        changes={"cause": cause.pk, "owner": owner.pk, "expected_reduction": expected_reduction, "cases": linked},
        at=now,
    )
    if owner.pk != user.pk:
        notice_send(user_id=owner.pk, message=f"You own a new fix: {title} (due {due_on:%d %b %Y}).", at=now)
    return action


@transaction.atomic
def action_link_cases(*, action: ImprovementAction, user: User, cases: Iterable[Case]) -> int:
    if not can_run_action(user, action):
        raise PermissionDenied("Only the fix's owner, the cause's owner or a process owner changes it.")
    return _link(action, cases, user=user, at=timezone.now())


def _locked(action: ImprovementAction) -> ImprovementAction:
    return ImprovementAction.objects.select_for_update(of=("self",)).select_related("cause__category").get(pk=action.pk)


@transaction.atomic
def action_advance(
    *, action: ImprovementAction, user: User, went_live_on: date | None = None, at: datetime | None = None
) -> ImprovementAction:
    """One step forward: open -> in progress, in progress -> live (on `went_live_on`, today by default)."""
    action = _locked(action)
    if not can_run_action(user, action):
        raise PermissionDenied("Only the fix's owner, the cause's owner or a process owner moves it along.")
    target = NEXT_STATE.get(ActionState(action.state))
    if target is None:
        raise CaseActionError(f"A {action.get_state_display().lower()} fix does not move on this way.")
    now = at or timezone.now()
    before = action.state
    action.state = target
    if target == ActionState.LIVE:
        live = went_live_on or timezone.localdate(now)
        if live > timezone.localdate(now):
            raise ValidationError({"went_live_on": ["A fix goes live today or earlier, not in the future."]})
        action.went_live_on = live
    action.save()
    audit_record(
        actor=user,
        action="improvement.action_state",
        obj=action,
        changes={"state": [before, target], "went_live_on": str(action.went_live_on or "")},
        at=now,
    )
    return action


@transaction.atomic
def action_review(
    *, action: ImprovementAction, user: User, note: str = "", at: datetime | None = None
) -> ImprovementAction:
    """Review a live fix: the verdict follows from the numbers (effect.py), not from opinion."""
    action = _locked(action)
    if not can_run_action(user, action):
        raise PermissionDenied("Only the fix's owner, the cause's owner or a process owner reviews it.")
    if action.state != ActionState.LIVE:
        raise CaseActionError("Only a live fix is reviewed.")
    now = at or timezone.now()
    effect = action_effect(action, today=timezone.localdate(now))
    if effect is None or not effect.verdict:
        raise CaseActionError("There is no complete week since the fix went live yet: nothing to measure.")
    action.state, action.verdict = ActionState.REVIEWED, effect.verdict
    action.reviewed_at, action.reviewed_by, action.review_note = now, user, note.strip()
    action.save()
    ratio = effect.ratio
    audit_record(
        actor=user,
        action="improvement.action_reviewed",
        obj=action,
        changes={
            "verdict": effect.verdict,
            "rate_ratio": round(ratio.ratio, 4) if ratio else None,
            "ci": [round(ratio.low, 4), round(ratio.high, 4)] if ratio else None,
        },
        at=now,
    )
    return action


@transaction.atomic
def action_reopen(*, action: ImprovementAction, reason: str, at: datetime | None = None) -> ImprovementAction:
    """Complaints climbed back after the fix: it is open again and its owner is told (the CUSUM's call)."""
    action = _locked(action)
    if action.state not in (ActionState.LIVE, ActionState.REVIEWED):
        return action
    now = at or timezone.now()
    before = action.state
    action.state, action.reopen_count = ActionState.IN_PROGRESS, action.reopen_count + 1
    action.save()
    audit_record(
        actor=None,
        action="improvement.action_reopened",
        obj=action,
        changes={"state": [before, action.state], "reason": reason},
        at=now,
    )
    notice_send(user_id=action.owner_id, message=f"Reopened: {action.title}. {reason}", at=now)
    return action


@transaction.atomic
def volumes_record(*, weeks: dict[date, int], user: User | None) -> int:
    """The business's volume per week (orders, visits); any day of the week names its week."""
    errors = [f"{day}: the volume cannot be negative." for day, volume in weeks.items() if volume < 0]
    if errors:
        raise ValidationError({"volumes": errors})
    normalised: dict[date, int] = {}
    for day, volume in weeks.items():
        normalised[week_of(day)] = volume
    existing = {v.week: v for v in VolumeWeek.objects.filter(week__in=list(normalised))}
    for week, volume in normalised.items():
        if week in existing:
            existing[week].volume = volume
        else:
            existing[week] = VolumeWeek(week=week, volume=volume)
    VolumeWeek.objects.bulk_create(
        list(existing.values()), update_conflicts=True, unique_fields=["week"], update_fields=["volume", "updated_at"]
    )
    return len(normalised)
