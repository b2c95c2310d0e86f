"""The search page: the top bar's box posts here; a reference goes straight to its case."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from makegood.accounts.requests import staff_user
from makegood.desk.forms import SearchForm
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
