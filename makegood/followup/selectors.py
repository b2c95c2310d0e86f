"""Reading follow-ups, always through the cases the person asking may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from makegood.accounts.models import Team
from makegood.accounts.reports import period
from makegood.accounts.roles import team_id_of
from makegood.cases.models import Case
from makegood.cases.selectors import cases_visible_to
from makegood.followup.models import AWAITING_STATES, CallAttempt, FollowUp, Method, Outcome, State


def followups_visible_to(user: User | AnonymousUser) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(case__in=cases_visible_to(user))


def followups_for_case(case: Case) -> list[FollowUp]:
    """The case's follow-ups, newest first, each with its answer (one query)."""
    return list(FollowUp.objects.filter(case=case).select_related("answer__recorded_by").order_by("-created_at", "-pk"))


def calls_to_make_for(user: User | AnonymousUser) -> list[FollowUp]:
    """Follow-up calls waiting for this person: on cases they own, or unowned cases of their team.

    Each carries its last try (`last_outcome`, `call_back_at`); a call the customer asked to be
    called back on comes up at that time, the others in the order they became due.
    """
    if not user.is_authenticated:
        return []
    mine = Q(case__owner_id=user.pk)
    team_id = team_id_of(user)
    if team_id is not None:
        mine |= Q(case__owner__isnull=True, case__team_id=team_id)
    last = CallAttempt.objects.filter(follow_up=OuterRef("pk")).order_by("-at", "-pk")
    return list(
        FollowUp.objects.filter(mine, method=Method.CALL, state__in=AWAITING_STATES)
        .select_related("case__customer")
        .annotate(
            last_outcome=Subquery(last.values("outcome")[:1]),
            call_back_at=Subquery(last.values("call_back_at")[:1]),
        )
        .annotate(next_call_at=Coalesce("call_back_at", "sent_at"))
        .order_by("next_call_at", "pk")
    )


def may_record_call(user: User, case: Case) -> bool:
    """The owner records the call; a manager may do it for them (as they may take the case over)."""
    if not user.has_perm("cases.respond_case"):
        return False
    return case.owner_id == user.pk or user.has_perm("cases.reassign_case")


@dataclass(frozen=True)
class Outcomes:
    """What became of the follow-ups sent in a period (by the day the customer was asked)."""

    sent: int
    answered: int
    satisfied: int
    dissatisfied: int
    no_response: int
    awaiting: int
    cancelled: int
    average_satisfaction: Decimal | None
    by_method: dict[str, dict[str, int]]

    @property
    def response_rate(self) -> Decimal | None:
        return (Decimal(self.answered) / Decimal(self.sent)).quantize(Decimal("0.001")) if self.sent else None

    @property
    def satisfied_rate(self) -> Decimal | None:
        return (Decimal(self.satisfied) / Decimal(self.answered)).quantize(Decimal("0.001")) if self.answered else None


def followup_outcomes(*, first_day: date, last_day: date, team: Team | None = None) -> Outcomes:
    """Counted in the database: one grouped query (by method) over the follow-ups sent in the period."""
    p = period(first_day, last_day)
    sent = FollowUp.objects.filter(sent_at__gte=p.start, sent_at__lt=p.end)
    if team is not None:
        sent = sent.filter(case__team=team)
    rows = sent.values("method").annotate(
        sent=Count("pk"),
        answered=Count("pk", filter=Q(state=State.ANSWERED)),
        satisfied=Count("pk", filter=Q(answer__outcome=Outcome.CLOSED)),
        dissatisfied=Count("pk", filter=Q(answer__outcome=Outcome.REOPENED)),
        no_response=Count("pk", filter=Q(state=State.NO_RESPONSE)),
        awaiting=Count("pk", filter=Q(state__in=AWAITING_STATES)),
        cancelled=Count("pk", filter=Q(state=State.CANCELLED)),
    )
    keys = ("sent", "answered", "satisfied", "dissatisfied", "no_response", "awaiting", "cancelled")
    by_method: dict[str, dict[str, int]] = {}
    for row in rows.order_by("method"):
        values: dict[str, Any] = dict(row)
        by_method[values["method"]] = {key: values[key] for key in keys}
    totals = {key: sum(counts[key] for counts in by_method.values()) for key in keys}
    average = sent.filter(answer__isnull=False).aggregate(avg=Avg("answer__satisfaction"))["avg"]
    return Outcomes(
        **totals,
        average_satisfaction=Decimal(str(average)).quantize(Decimal("0.1")) if average is not None else None,
        by_method=by_method,
    )
