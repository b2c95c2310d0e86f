"""REST endpoints for cases: read one, list and filter them.

This router serves the `/v1/cases` collection; intake adds `POST` (open a case) to it
(`makegood.intake.api`, wired in `makegood/api.py`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from makegood.accounts.models import Team
from makegood.accounts.requests import token_user
from makegood.cases.models import Case, CaseEvent, Customer
from makegood.cases.queue import COUNT_CAP
from makegood.cases.schemas import CaseDetailOut, CaseFilters, CasePageOut, ErrorOut, ValidationErrorOut
from makegood.cases.selectors import case_get_for_user, cases_visible_to

router = Router(tags=["cases"])


@router.get(
    "/{reference}",
    response={200: CaseDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="Read a case and its timeline",
    operation_id="case_get",
)
def case_detail(request: HttpRequest, reference: str) -> Case:
    """404 both for a reference that does not exist and for a case the token's owner may not see."""
    case = case_get_for_user(token_user(request), reference)
    prefetch_related_objects([case], Prefetch("events", queryset=CaseEvent.objects.select_related("actor")))
    return case


class _NoMatch(Exception):
    """A filter names a team, owner or customer that does not exist: the page is empty."""


def _ids(rows: QuerySet[Any]) -> list[int]:
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        raise _NoMatch
    return ids


def _narrowed(cases: QuerySet[Case], user: User, filters: CaseFilters) -> QuerySet[Case]:
    """The filters on who and for whom. Names are resolved to ids first (one small query each),
    so that the database can use the case table's own indexes instead of joining to find them.
    """
    if filters.team:
        cases = cases.filter(team_id__in=_ids(Team.objects.filter(slug=filters.team)))
    if filters.owner == "me":
        cases = cases.filter(owner_id=user.pk)
    elif filters.owner:
        cases = cases.filter(owner_id__in=_ids(User.objects.filter(username=filters.owner)))
    if filters.customer_email:
        # Stored normalised (lower-case); a malformed address simply matches nothing. The
        # exclude() lets SQLite use the partial unique index on e-mail (it skips blank ones).
        email = filters.customer_email.strip().lower()
        cases = cases.filter(customer_id__in=_ids(Customer.objects.filter(email=email).exclude(email="")))
    if filters.external_id:
        cases = cases.filter(external_id=filters.external_id)
    return cases


def _in_order(cases: QuerySet[Case], filters: CaseFilters) -> QuerySet[Case]:
    """The filters that an index in received_at order serves: status, channel and the time range."""
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.channel:
        cases = cases.filter(channel=filters.channel)
    if filters.received_after:
        cases = cases.filter(received_at__gte=_aware(filters.received_after))
    if filters.received_before:
        cases = cases.filter(received_at__lt=_aware(filters.received_before))
    return cases


# Above this many matches, SQLite pages faster by walking an index in received_at order.
_DENSE = 2_000


def _page_source(matching: QuerySet[Case], count: int, filters: CaseFilters) -> QuerySet[Case]:
    """Where the page is read from: the matching cases themselves, or the same set as a filter.

    Visibility is "my team's or mine" (`team_id = ? OR owner_id = ?`). SQLite answers that, or
    a team or owner filter, by collecting every matching row through those columns' indexes and
    sorting them all: 35,000 cases of one busy team took 250 ms. Behind a correlated EXISTS those
    conditions name no index, so SQLite walks `received_at` (or status/channel + received_at)
    newest first and stops after one page: 5 ms. The walk is slow only when matches are rare,
    and then the plain query's sort is small: the count decides. PostgreSQL plans the plain
    query well, so it keeps it.
    """
    if connection.vendor != "sqlite" or count <= _DENSE or not matching.query.has_filters():
        return matching
    return _in_order(Case.objects.filter(Exists(matching.filter(pk=OuterRef("pk")))), filters)


def _aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def page_url(request: HttpRequest, offset: int) -> str:
    """This list's URL with another `offset` (the next and previous links of a page)."""
    query = request.GET.copy()
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.items()))}")


@router.get(
    "",
    response={200: CasePageOut, 401: ErrorOut, 422: ValidationErrorOut},
    summary="List cases",
    operation_id="case_list",
)
def case_list(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, object]:
    """The cases the token's owner may see, newest first, filtered and paginated (`limit` at most 200)."""
    user = token_user(request)
    offset, limit = filters.offset, filters.limit
    try:
        matching = _in_order(_narrowed(cases_visible_to(user), user, filters), filters)
    except _NoMatch:
        matching = Case.objects.none()
    # Counting every match grows with the table (350,000 cases of a busy team at 1,000,000): past
    # COUNT_CAP the count stops there and says so; the page itself tells whether a next one exists.
    count = matching.order_by().values("pk")[: COUNT_CAP + 1].count()
    items: list[Case] = []
    more = False
    if offset < count or count > COUNT_CAP:
        page = _page_source(matching, count, filters).select_related("customer", "team", "owner")
        # `-pk` settles ties between cases received in the same instant, so pages never overlap.
        items = list(page.order_by("-received_at", "-pk")[offset : offset + limit + 1])
        more, items = len(items) > limit, items[:limit]
    return {
        "count": min(count, COUNT_CAP),
        "count_capped": count > COUNT_CAP,
        "limit": limit,
        "offset": offset,
        "next": page_url(request, offset + limit) if more else None,
        "previous": page_url(request, max(offset - limit, 0)) if offset > 0 else None,
        "items": items,
    }
