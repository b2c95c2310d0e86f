"""`makegood seed_demo`: load the Ridgeway Cycles demo into the configured database."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from makegood.cases.models import Case
from makegood.demo import content
from makegood.demo.followups import demo_followups_load
from makegood.demo.outbox import demo_outbox_settle, outbox_mark
from makegood.demo.purchases import demo_purchases_load
from makegood.demo.services import DEFAULT_CASES, DEFAULT_SEED, DemoLogin, demo_load, demo_logins
from makegood.improvement.demo import improvement_demo_load


class Command(BaseCommand):
    help = (
        "Load a realistic demo (one business, four teams, a dozen staff, an API integration and a few "
        "hundred cases over the last 90 days) and print the logins."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the database has any case.")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Same seed, same demo (default %(default)s)."
        )
        parser.add_argument(
            "--cases", type=int, default=DEFAULT_CASES, help="How many cases to create (default %(default)s)."
        )
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="Leave out the year of history, fixes and suggestions (loaded with the default number of cases).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cases: int = options["cases"]
        if not 0 <= cases <= 100_000:
            raise CommandError("--cases must be between 0 and 100000.")
        if options["if_empty"] and Case.objects.exists():
            self.stdout.write(f"The database already has {Case.objects.count()} cases: the demo was not loaded again.")
            logins = demo_logins()
            if logins:
                self._print_logins(logins, content.DEMO_PASSWORD)
                self.stdout.write(
                    f"\nFor an API token: makegood create_api_token {content.INTEGRATION_USERNAME}"
                    " (tokens are stored hashed, so the first one cannot be shown again)."
                )
            return
        started = time.monotonic()
        outbox_before = outbox_mark()
        loaded = demo_load(seed=options["seed"], cases=cases)
        # Follow-up answers that reopen a case or bring a suggestion (before the owners' other calls).
        followups = demo_followups_load()
        # The year of history is shaped around the default demo's 90 days (improvement/demo.py).
        loop = improvement_demo_load() if cases == DEFAULT_CASES and not options["no_history"] else {}
        # What the till recorded before and after each complaint (the insights' loyalty pages).
        purchases = demo_purchases_load()
        # The past's e-mails were "sent" back then: the worker sends only the last hour's.
        demo_outbox_settle(after=outbox_before, now=timezone.now())
        elapsed = time.monotonic() - started
        channels = ", ".join(f"{name} {n}" for name, n in sorted(loaded.cases_by_channel.items()))
        statuses = ", ".join(f"{name} {n}" for name, n in sorted(loaded.cases_by_status.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the {loaded.business} demo in {elapsed:.1f} s: {loaded.case_count} cases "
                f"from {loaded.customers} customers."
            )
        )
        if loaded.case_count:
            self.stdout.write(f"  by channel: {channels}\n  by status:  {statuses}")
        if followups["reopened"] or followups["suggestions"]:
            self.stdout.write(
                f"  {followups['reopened']} reopened by the customer's follow-up answer, "
                f"{followups['suggestions']} suggestions from follow-up calls"
            )
        if loop.get("history"):
            self.stdout.write(
                f"  and a year of history ({loop['history']} past complaints with their causes) for /improvement/"
            )
        self.stdout.write(f"  and {purchases} purchases of the customers and of walk-ins, for /insights/loyalty/")
        self._print_logins(loaded.logins, loaded.password)
        self.stdout.write(
            f"\nAPI token for {loaded.api_username} (frontline, Online Desk); shown only now:\n"
            f"  {loaded.api_token}\n"
            f'  curl -H "Authorization: Bearer {loaded.api_token}" {settings.SITE_URL}/api/v1/cases'
        )

    def _print_logins(self, logins: list[DemoLogin], password: str) -> None:
        self.stdout.write(f"\nDemo logins at {settings.SITE_URL}/accounts/login/ (every password: {password})")
        width = max(len("username"), *(len(login.username) for login in logins))
        self.stdout.write(f"  {'username'.ljust(width)}  {'role'.ljust(18)}  {'team'.ljust(16)}  name")
        for login in logins:
            self.stdout.write(
                f"  {login.username.ljust(width)}  {login.role.ljust(18)}  {login.team.ljust(16)}  {login.name}"
            )
