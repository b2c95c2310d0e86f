"""What every page and endpoint does the same way at the edge: tell htmx requests apart, and hand
a service's field errors to the form or JSON path the person filled in.

Services raise `ValidationError` keyed by their own argument names; an edge that names a field
differently (a form's `email` for the service's `customer_email`, the API's `demand.amount` for
`amount`) maps the names here, once, instead of each edge keeping its own copy.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """True for a request htmx made (django-htmx's middleware sets `request.htmx`)."""
    return bool(getattr(request, "htmx", False))


def rekeyed(exc: ValidationError, paths: Mapping[str, str]) -> ValidationError:
    """The same errors under the edge's names (`paths`: service field -> edge field); others kept."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({paths.get(field, field): messages for field, messages in exc.message_dict.items()})


def form_add_service_errors(form: forms.BaseForm, exc: ValidationError, paths: Mapping[str, str] | None = None) -> None:
    """Show a service's refusal on the form: on the field it names where the form has it, else on top."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, messages in exc.message_dict.items():
        target = (paths or {}).get(field, field)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)
