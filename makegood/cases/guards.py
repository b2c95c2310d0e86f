"""Conditions a stage sets on resolving a case, without the core knowing the stage.

A stage registers a check from its `AppConfig.ready()`:

    from makegood.cases.guards import register_resolve_guard
    register_resolve_guard("causes.cause_required", cause_required)

`case_resolve` runs every registered check on the locked case, inside its transaction, before the
status changes; a check refuses by raising `ValidationError` (keyed by the field the person has
to fill in), so the page and the API show the refusal like any other invalid input.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User

from makegood.cases.models import Case

ResolveGuard = Callable[[Case, User], None]

_resolve_guards: dict[str, ResolveGuard] = {}


def register_resolve_guard(name: str, guard: ResolveGuard) -> None:
    """Add (or replace, under the same name: `ready()` may run twice) a check on resolving."""
    _resolve_guards[name] = guard


def resolve_guards() -> dict[str, ResolveGuard]:
    """The registered checks by name (a copy: a test may run the core with none of them)."""
    return dict(_resolve_guards)


def resolve_guards_check(case: Case, user: User) -> None:
    """Run every check; the first refusal (`ValidationError`) stops the resolve."""
    for guard in list(_resolve_guards.values()):
        guard(case, user)
