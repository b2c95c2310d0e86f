"""The catalogs that ship with Makegood (restaurant, online shop, hotel) and loading them.

A catalog file lists remedies and the default authority of each role at that business's scale.
Loading one *active* makes it the business's catalog (other catalogs' remedies are deactivated,
the role defaults are set); loading one inactive keeps it at hand for administrators to switch to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from makegood.accounts.models import Role
from makegood.cases.models import Channel, LossKind
from makegood.remedies.models import Effort, Purpose, RemedyKind, RemedyType, RoleAuthority, default_purpose
from makegood.remedies.rules import default_currency
from makegood.remedies.selectors import catalog_changed

CATALOG_DIR = Path(__file__).resolve().parent / "fixtures"


def catalog_names() -> list[str]:
    return sorted(path.stem for path in CATALOG_DIR.glob("*.json"))


def catalog_read(name: str) -> dict[str, Any]:
    if name not in catalog_names():
        raise ValidationError({"catalog": [f"No catalog {name!r}; choose one of: {', '.join(catalog_names())}."]})
    data: dict[str, Any] = json.loads((CATALOG_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class CatalogLoaded:
    name: str
    created: int
    updated: int
    deactivated: int
    active: bool


def _remedy_fields(item: dict[str, Any], currency: str) -> dict[str, Any]:
    code = item.get("code", "?")
    problems = []
    if item.get("kind") not in RemedyKind.values:
        problems.append(f"unknown kind {item.get('kind')!r}")
    if item.get("purpose", Purpose.COMPENSATION) not in Purpose.values:
        problems.append(f"unknown purpose {item.get('purpose')!r}")
    if item.get("effort", Effort.NONE) not in Effort.values:
        problems.append(f"unknown effort {item.get('effort')!r}")
    for channel in item.get("channels", []):
        if channel not in Channel.values:
            problems.append(f"unknown channel {channel!r}")
    for loss in item.get("loss_kinds", []):
        if loss not in LossKind.values:
            problems.append(f"unknown loss kind {loss!r}")
    if problems:
        raise ValidationError({"catalog": [f"Remedy {code}: {', '.join(problems)}."]})

    def dec(key: str, default: str | None = None) -> Decimal | None:
        value = item.get(key, default)
        return None if value is None else Decimal(str(value))

    return {
        "kind": item["kind"],
        # Restitution or compensation: the catalog may say; else what the kind usually is.
        "purpose": item.get("purpose") or default_purpose(item["kind"]),
        "name": item["name"],
        "description": item.get("description", ""),
        "currency": currency,
        "is_variable": bool(item.get("variable", False)),
        "cost": dec("cost", "0"),
        "value": dec("value", "0"),
        "cost_per_unit": dec("cost_per_unit", "0"),
        "value_per_unit": dec("value_per_unit", "0"),
        "min_amount": dec("min_amount"),
        "max_amount": dec("max_amount"),
        "max_per_case": item.get("max_per_case", 1),
        "needs_order_reference": bool(item.get("needs_order_reference", False)),
        "channels": list(item.get("channels", [])),
        "immediate": bool(item.get("immediate", True)),
        "effort": item.get("effort", Effort.NONE),
        "loss_kinds": list(item.get("loss_kinds", [])),
        "issues_code": bool(item.get("issues_code", False)),
    }


@transaction.atomic
def catalog_load(*, name: str, activate: bool = True, currency: str | None = None) -> CatalogLoaded:
    """Create or update the catalog's remedies (matched on their code within the catalog).

    `activate`: make it the business's catalog: its remedies active, every other catalog's
    inactive, and the role defaults set from its `authority` section. Otherwise its remedies are
    loaded inactive and nothing else changes.
    """
    data = catalog_read(name)
    currency = (currency or default_currency()).upper()
    created = updated = deactivated = 0
    for item in data["remedies"]:
        fields = _remedy_fields(item, currency)
        fields["active"] = activate
        remedy = RemedyType.objects.filter(catalog=name, code=item["code"]).first() or RemedyType(
            catalog=name, code=item["code"]
        )
        is_new = remedy.pk is None
        for key, value in fields.items():
            setattr(remedy, key, value)
        try:
            remedy.full_clean()
        except ValidationError as exc:
            raise ValidationError({"catalog": [f"Remedy {item['code']}: {'; '.join(exc.messages)}"]}) from exc
        remedy.save()
        created += is_new
        updated += not is_new
    if activate:
        for stale in RemedyType.objects.filter(active=True).exclude(catalog=name):
            # One by one, so that updated_at moves and every process re-reads the catalog.
            stale.active = False
            stale.save(update_fields=["active", "updated_at"])
            deactivated += 1
        for role_name, policy in data.get("authority", {}).items():
            ceiling = policy.get("restitution_per_case")
            RoleAuthority.objects.update_or_create(
                role=Role(role_name),
                defaults={
                    "currency": currency,
                    "cap_per_case": Decimal(policy["cap_per_case"]),
                    "cap_per_day": Decimal(policy["cap_per_day"]),
                    "budget_per_month": Decimal(policy["budget_per_month"]),
                    "restitution_per_case": Decimal(ceiling) if ceiling is not None else None,
                    "allowed_kinds": [k for k in policy.get("allowed_kinds", []) if k in RemedyKind.values],
                },
            )
    transaction.on_commit(catalog_changed)
    return CatalogLoaded(name=name, created=created, updated=updated, deactivated=deactivated, active=activate)
