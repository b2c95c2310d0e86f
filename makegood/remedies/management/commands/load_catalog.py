"""`makegood load_catalog online_shop` makes the online shop's catalog the business's catalog;
`makegood load_catalog hotel restaurant --inactive` keeps others at hand."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from makegood.remedies.catalogs import catalog_load, catalog_names


class Command(BaseCommand):
    help = "Load remedy catalogs shipped with Makegood (restaurant, online_shop, hotel)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", help=f"Catalogs: {', '.join(catalog_names())}.")
        parser.add_argument("--inactive", action="store_true", help="Load without making it the active catalog.")
        parser.add_argument("--currency", help="Price the remedies in this currency (default: MAKEGOOD_CURRENCY).")
        parser.add_argument("--list", action="store_true", help="List the catalogs and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"] or not options["names"]:
            for name in catalog_names():
                self.stdout.write(name)
            return
        if not options["inactive"] and len(options["names"]) > 1:
            raise CommandError("Only one catalog can be the active one; load the others with --inactive.")
        for name in options["names"]:
            try:
                loaded = catalog_load(name=name, activate=not options["inactive"], currency=options["currency"])
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            state = "active" if loaded.active else "inactive"
            self.stdout.write(
                f"{name}: {loaded.created} remedies created, {loaded.updated} updated ({state})"
                + (f"; {loaded.deactivated} from other catalogs deactivated" if loaded.deactivated else "")
            )
