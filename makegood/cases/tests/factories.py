"""Factories and named people for tests: Alice (frontline, North), Bob (manager, North),
Charlie (frontline, South: must see nothing of North's cases)."""

from __future__ import annotations

import factory
from django.contrib.auth.models import User

from makegood.accounts.models import Role, Team
from makegood.accounts.services import staff_create_or_update
from makegood.cases.models import Case
from makegood.intake.opening import case_open


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.LazyAttribute(lambda t: t.name.lower().replace(" ", "-"))


def make_staff(username: str, role: Role = Role.FRONTLINE, team: Team | None = None, **extra: str) -> User:
    return staff_create_or_update(username=username, role=role, team=team, password="pw-" + username, **extra)


def make_case(**overrides: object) -> Case:
    fields: dict[str, object] = {
        "channel": "web",
        "customer_name": "Dana Customer",
        "customer_email": "dana@example.com",
        "story": "My order arrived broken and nobody answered my calls.",
        "expectation": "A replacement by Friday.",
    }
    fields.update(overrides)
    return case_open(**fields)  # type: ignore[arg-type]
