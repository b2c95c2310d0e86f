"""Operational endpoints and the Server-Timing header."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers; touches nothing, so it is also the framework's floor in benchmarks."""
    return HttpResponse("ok", content_type="text/plain")


class ServerTimingMiddleware:
    """Adds `Server-Timing: app;dur=<ms>` so that server time can be read apart from the network."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response
