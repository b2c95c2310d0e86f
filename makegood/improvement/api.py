"""REST endpoints of the improvement loop: the Pareto of causes, fixes and their measured effect,
customers' suggestions, and the business's weekly volumes. Same permissions as the pages: 403
for a role that sees none of it, 404 for a fix or suggestion the token's owner may not see."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from makegood.accounts.requests import token_user
from makegood.cases.schemas import ErrorOut, ValidationErrorOut
from makegood.cases.selectors import cases_visible_to
from makegood.improvement.access import (
    action_get_for_user,
    actions_for,
    can_manage,
    causes_for,
    require_reports,
    suggestion_group_get_for_user,
    suggestion_groups_for,
)
from makegood.improvement.effect import action_effect
from makegood.improvement.models import ActionState, ImprovementAction, SuggestionGroup, SuggestionStatus, Verdict
from makegood.improvement.selectors import DEFAULT_DAYS, pareto
from makegood.improvement.services import action_advance, action_open, action_review, volumes_record
from makegood.improvement.suggestions import suggestion_group_decide

router = Router(tags=["improvement"])
Errors = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut}


class ParetoRowOut(Schema):
    cause: int
    label: str
    complaints: int
    system: int
    person: int
    dissatisfied: int
    compensation: dict[str, str] = Field(description="Remedy cost per currency, as decimal strings.")
    cumulative_share: float


class ParetoFilters(Schema):
    days: int = Field(DEFAULT_DAYS, ge=1, le=3650)
    by: str = Field("count", pattern="^(count|cost|dissatisfied)$")


@router.get("/improvement/pareto", response={200: list[ParetoRowOut], **Errors}, operation_id="improvement_pareto")
def pareto_get(request: HttpRequest, filters: Query[ParetoFilters]) -> list[dict[str, object]]:
    """Causes of the cases you may see, received in the last `days` days, ranked by `by`."""
    user = token_user(request)
    require_reports(user)
    return [
        {
            "cause": r.cause.pk,
            "label": r.cause.label,
            "complaints": r.count,
            "system": r.system,
            "person": r.person,
            "dissatisfied": r.dissatisfied,
            "compensation": {c: str(a) for c, a in r.cost.items()},
            "cumulative_share": round(r.cumulative_share, 4),
        }
        for r in pareto(user, days=filters.days, by=filters.by)
    ]


class RateRatioOut(Schema):
    ratio: float
    low: float = Field(description="95% interval, lower bound.")
    high: float
    p_value: float
    before_count: int
    after_count: int
    before_exposure: float
    after_exposure: float


class SegmentedOut(Schema):
    model: str
    step: float
    step_low: float
    step_high: float
    slope_change: float
    slope_low: float
    slope_high: float


class EffectOut(Schema):
    normalised: bool = Field(description="True when complaints are per 1,000 of the business's volume.")
    weeks_before: int
    weeks_after: int
    rate_ratio: RateRatioOut | None
    segmented: SegmentedOut | None = Field(description="Only with at least 8 weeks on each side.")
    verdict: Verdict | None


class ActionOut(Schema):
    id: int
    cause: int
    cause_label: str
    title: str
    description: str
    owner: str
    due_on: date
    expected_reduction: int
    review_on: date
    state: ActionState
    went_live_on: date | None
    verdict: Verdict | None
    reopen_count: int
    cases: list[str] = Field(description="References of the linked cases you may see.")
    effect: EffectOut | None


class ActionIn(Schema):
    cause: int
    title: str = Field(max_length=200)
    description: str = ""
    owner: str = Field(description="Username.")
    due_on: date
    expected_reduction: int = Field(ge=1, le=100)
    review_on: date
    cases: list[str] = Field(default_factory=list, description="References of cases to link.")


def _action_out(action: ImprovementAction, user: object) -> dict[str, object]:
    effect = action_effect(action, today=timezone.localdate())
    effect_out = None
    if effect is not None:
        r, s = effect.ratio, effect.regression
        effect_out = {
            "normalised": effect.series.normalised,
            "weeks_before": effect.weeks_before,
            "weeks_after": effect.weeks_after,
            "rate_ratio": None if r is None else {k: getattr(r, k) for k in RateRatioOut.model_fields},
            "segmented": None if s is None else {k: getattr(s, k) for k in SegmentedOut.model_fields},
            "verdict": effect.verdict or None,
        }
    visible = cases_visible_to(user).filter(improvement_actions=action)  # type: ignore[arg-type]
    return {
        "id": action.pk,
        "cause": action.cause_id,
        "cause_label": action.cause.label,
        "title": action.title,
        "description": action.description,
        "owner": action.owner.get_username(),
        "due_on": action.due_on,
        "expected_reduction": action.expected_reduction,
        "review_on": action.review_on,
        "state": action.state,
        "went_live_on": action.went_live_on,
        "verdict": action.verdict or None,
        "reopen_count": action.reopen_count,
        "cases": [c.reference for c in visible.order_by("received_at")[:500]],
        "effect": effect_out,
    }


@router.get("/improvement/actions", response={200: list[ActionOut], **Errors}, operation_id="action_list")
def action_list(request: HttpRequest) -> list[dict[str, object]]:
    user = token_user(request)
    return [_action_out(a, user) for a in actions_for(user).order_by("-created_at")[:200]]


@router.get("/improvement/actions/{action_id}", response={200: ActionOut, **Errors}, operation_id="action_get")
def action_get(request: HttpRequest, action_id: int) -> dict[str, object]:
    user = token_user(request)
    return _action_out(action_get_for_user(user, action_id), user)


@router.post("/improvement/actions", response={201: ActionOut, **Errors}, operation_id="action_open")
def action_create(request: HttpRequest, payload: ActionIn) -> Status:
    from django.contrib.auth.models import User

    user = token_user(request)
    cause = causes_for(user).filter(pk=payload.cause).first()
    if cause is None:
        raise ValidationError({"cause": ["No such cause, or not one you may see."]})
    owner = User.objects.filter(username=payload.owner, is_active=True).first()
    if owner is None:
        raise ValidationError({"owner": [f"No active user {payload.owner!r}."]})
    cases = list(cases_visible_to(user).filter(pk__in=_case_ids(payload.cases)))
    if len(cases) != len(set(payload.cases)):
        raise ValidationError({"cases": ["Some of these cases do not exist or are not yours to see."]})
    action = action_open(
        cause=cause,
        user=user,
        title=payload.title,
        description=payload.description,
        owner=owner,
        due_on=payload.due_on,
        expected_reduction=payload.expected_reduction,
        review_on=payload.review_on,
        cases=cases,
    )
    return Status(201, _action_out(action, user))


def _case_ids(references: list[str]) -> list[int]:
    from makegood.cases.models import parse_reference

    ids = []
    for reference in references:
        parsed = parse_reference(reference)
        if parsed is None:
            raise ValidationError({"cases": [f"{reference!r} is not a case reference."]})
        ids.append(parsed[1])
    return ids


class AdvanceIn(Schema):
    went_live_on: date | None = Field(None, description="For in progress -> live; today when left out.")


@router.post(
    "/improvement/actions/{action_id}/advance", response={200: ActionOut, **Errors}, operation_id="action_advance"
)
def action_advance_post(request: HttpRequest, action_id: int, payload: AdvanceIn) -> dict[str, object]:
    """One step forward: open -> in progress -> live."""
    user = token_user(request)
    action = action_advance(action=action_get_for_user(user, action_id), user=user, went_live_on=payload.went_live_on)
    return _action_out(action, user)


class ReviewIn(Schema):
    note: str = Field("", max_length=5000)


@router.post(
    "/improvement/actions/{action_id}/review", response={200: ActionOut, **Errors}, operation_id="action_review"
)
def action_review_post(request: HttpRequest, action_id: int, payload: ReviewIn) -> dict[str, object]:
    """Record the verdict that the numbers give (live fixes only)."""
    user = token_user(request)
    action = action_review(action=action_get_for_user(user, action_id), user=user, note=payload.note)
    return _action_out(action, user)


class SuggestionGroupOut(Schema):
    id: int
    cause: int | None
    cause_label: str | None
    text: str
    size: int = Field(description="How many customers suggested (nearly) this.")
    status: SuggestionStatus
    what_changed: str
    texts: list[str]
    cases: list[str]

    @staticmethod
    def resolve_cause(obj: SuggestionGroup) -> int | None:
        return obj.cause_id

    @staticmethod
    def resolve_cause_label(obj: SuggestionGroup) -> str | None:
        return obj.cause.label if obj.cause is not None else None

    @staticmethod
    def resolve_texts(obj: SuggestionGroup) -> list[str]:
        return [item.suggestion.text for item in obj.items.all()]

    @staticmethod
    def resolve_cases(obj: SuggestionGroup) -> list[str]:
        return [item.case.reference for item in obj.items.all()]


@router.get(
    "/improvement/suggestions", response={200: list[SuggestionGroupOut], **Errors}, operation_id="suggestion_list"
)
def suggestion_list(request: HttpRequest) -> list[SuggestionGroup]:
    """The inbox: groups under the causes you own (all of them for process owners)."""
    groups = suggestion_groups_for(token_user(request)).prefetch_related("items__suggestion", "items__case")
    return list(groups[:500])


class DecideIn(Schema):
    status: SuggestionStatus
    what_changed: str = Field("", max_length=2000)


@router.post(
    "/improvement/suggestions/{group_id}/decide",
    response={200: SuggestionGroupOut, **Errors},
    operation_id="suggestion_decide",
)
def suggestion_decide(request: HttpRequest, group_id: int, payload: DecideIn) -> SuggestionGroup:
    user = token_user(request)
    group = suggestion_group_decide(
        group=suggestion_group_get_for_user(user, group_id),
        user=user,
        status=payload.status,
        what_changed=payload.what_changed,
    )
    return (
        SuggestionGroup.objects.prefetch_related("items__suggestion", "items__case")
        .select_related("cause__category")
        .get(pk=group.pk)
    )


class VolumeIn(Schema):
    week: date = Field(description="Any day of the week; stored under its Monday.")
    volume: int = Field(ge=0)


class VolumesIn(Schema):
    weeks: list[VolumeIn] = Field(max_length=5000)


class VolumesOut(Schema):
    recorded: int
    at: datetime


@router.post("/volumes", response={200: VolumesOut, **Errors}, operation_id="volumes_record")
def volumes_post(request: HttpRequest, payload: VolumesIn) -> dict[str, object]:
    """The business's volume per week (orders or visits), which normalises complaint counts.
    (A CSV of `week,volume` is uploaded on the Weekly volumes page.)"""
    user = token_user(request)
    if not can_manage(user):
        raise PermissionDenied("Process owners and administrators record the business's volumes.")
    recorded = volumes_record(weeks={row.week: row.volume for row in payload.weeks}, user=user)
    return {"recorded": recorded, "at": timezone.now()}
