"""A customer's history, as one employee may see it: every case, contact and remedy.

A customer is visible to someone who may see at least one of their cases; what is listed is only
from those cases, so a frontline employee never learns of another team's case through its customer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.http import Http404

from makegood.cases.models import OPEN_STATUSES, Case, CaseEvent, Customer
from makegood.cases.selectors import cases_visible_to
from makegood.desk.models import CaseMerge
from makegood.desk.search_index import MESSAGE_KINDS
from makegood.remedies.models import Grant

CONTACTS_SHOWN = 100


@dataclass(frozen=True)
class CustomerHistory:
    customer: Customer
    cases: list[Case]
    contacts: list[CaseEvent]
    grants: list[Grant]
    merged_into: dict[int, Case]  # a merged case's id → the case it was merged into


def _their_cases(user: User | AnonymousUser, customer_id: int) -> QuerySet[Case]:
    return cases_visible_to(user).filter(customer_id=customer_id)


def customer_history_for(user: User | AnonymousUser, customer_id: int) -> CustomerHistory:
    """Http404 for a customer none of whose cases the person may see (or none at all)."""
    cases = list(_their_cases(user, customer_id).select_related("team", "owner").order_by("-received_at", "-pk"))
    if not cases:
        raise Http404("No such customer.")
    customer = Customer.objects.get(pk=customer_id)
    ids = [case.pk for case in cases]
    contacts = list(
        CaseEvent.objects.filter(case_id__in=ids, kind__in=MESSAGE_KINDS)
        .exclude(kind="note")
        .select_related("actor", "case")
        .order_by("-at", "-pk")[:CONTACTS_SHOWN]
    )
    grants = list(Grant.objects.filter(case_id__in=ids).select_related("case").order_by("-granted_at", "-pk"))
    merges = CaseMerge.objects.filter(source_id__in=ids).select_related("target")
    return CustomerHistory(
        customer=customer,
        cases=cases,
        contacts=contacts,
        grants=grants,
        merged_into={merge.source_id: merge.target for merge in merges},
    )


def other_open_cases(user: User | AnonymousUser, case: Case) -> list[Case]:
    """The customer's other open cases the person may see: candidates to merge this one into."""
    return list(
        _their_cases(user, case.customer_id)
        .filter(status__in=OPEN_STATUSES)
        .exclude(pk=case.pk)
        .exclude(merged_into__isnull=False)
        .order_by("received_at", "pk")[:10]
    )
