"""The desk's pages: search (the top bar's box; a reference goes straight to its case), a
customer's history, and merging a duplicate case from the case page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from makegood.accounts.requests import staff_user
from makegood.cases.selectors import case_get_for_user
from makegood.cases.services import CaseActionError
from makegood.desk.customers import customer_history_for
from makegood.desk.forms import SearchForm
from makegood.desk.merge import case_merge
from makegood.desk.search import CANDIDATES, SearchResult, case_search


@permission_required("cases.view_case", raise_exception=True)
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    result = SearchResult(query="")
    if form.is_valid():
        result = case_search(staff_user(request), form.cleaned_data["q"], filters=form.filters())
        if result.jump_to is not None:
            return redirect("case_detail", reference=result.jump_to.reference)
    return render(request, "desk/search.html", {"form": form, "result": result, "candidates": f"{CANDIDATES:,}"})


@permission_required("cases.view_case", raise_exception=True)
@require_GET
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    history = customer_history_for(staff_user(request), customer_id)
    return render(request, "desk/customer.html", {"history": history, "customer": history.customer})


@require_POST
def case_merge_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Merge this case into the customer's other one (`into`); back to the case that remains."""
    user = staff_user(request)
    source = case_get_for_user(user, reference)
    try:
        target = case_get_for_user(user, request.POST.get("into", "")[:40])
    except Http404:
        messages.error(request, "Choose one of the customer's open cases to merge into.")
        return redirect("case_detail", reference=source.reference)
    try:
        case_merge(source=source, target=target, by=user)
    except CaseActionError as exc:
        messages.error(request, str(exc))
        return redirect("case_detail", reference=source.reference)
    messages.success(request, f"{source.reference} is merged into {target.reference}; both timelines are kept.")
    return redirect("case_detail", reference=target.reference)
