"""Every page's URL pattern and every API operation, with sample values for their parameters.

The cross-cutting tests (malformed references, the unrelated user, the content security policy)
walk these lists instead of naming pages one by one, so that a page or endpoint added later is
covered without anyone remembering to add it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from makegood.api import api

# Path parameters that are not a case reference: a value of the right shape.
SAMPLE_VALUES = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000000", "path": "x"}
SAMPLE_NAMED = {"kind": "listen", "token": "x", "team": "x"}
_CONVERTER_RE = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Page:
    route: str  # as declared, e.g. "cases/<str:reference>/take/"
    name: str | None

    @property
    def takes_reference(self) -> bool:
        return "<str:reference>" in self.route

    def url(self, reference: str = "MG-2026-000001") -> str:
        def sample(match: re.Match[str]) -> str:
            if match.group("name") == "reference":
                return reference
            if match.group("name") in SAMPLE_NAMED:
                return SAMPLE_NAMED[match.group("name")]
            return SAMPLE_VALUES[match.group("converter") or "str"]

        return "/" + _CONVERTER_RE.sub(sample, self.route)


def _walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[Page]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        else:
            yield Page(route=route, name=pattern.name)


def pages() -> list[Page]:
    """The site's own pages: not the admin site (Django's, checked by its own permissions), not
    the API (walked operation by operation below) and not static files."""
    found = []
    for page in _walk(get_resolver().url_patterns, ""):
        if page.route.startswith(("admin/", "api/", "static/", "media/")) or page.route == "healthz":
            continue
        found.append(page)
    return found


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # OpenAPI path, e.g. "/api/v1/cases/{reference}"
    operation_id: str

    @property
    def takes_reference(self) -> bool:
        return "{reference}" in self.path

    def url(self, reference: str = "MG-2026-000001") -> str:
        path = self.path.replace("{reference}", reference)
        return re.sub(r"\{[^}]+\}", "1", path)


def operations() -> list[Operation]:
    schema = api.get_openapi_schema()
    found = []
    for path, methods in schema["paths"].items():
        for method, spec in methods.items():
            found.append(Operation(method=method.upper(), path=path, operation_id=spec.get("operationId", "")))
    return found
