"""`makegood suggest_causes`: one complaint per line on standard input, its three likeliest causes out."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from makegood.causes.models import CauseModel
from makegood.causes.suggester import causes_suggest, model_cache
from makegood.causes.training import cause_model_train


class Command(BaseCommand):
    help = (
        "Read one complaint text per line on standard input and print, per line, the three likeliest "
        "causes as 'Category / Cause', tab-separated (training on the database's cases first if never trained)."
    )
    # Tests (and callers embedding the command) hand their own stream in.
    stealth_options = ("stdin",)

    def handle(self, *args: Any, **options: Any) -> None:
        if not CauseModel.objects.exists():
            result = cause_model_train()
            self.stderr.write(result.reason)
            model_cache.clear()
        stdin = options.get("stdin") or sys.stdin
        for line in stdin:
            suggestions = causes_suggest(line.rstrip("\n"))
            self.stdout.write("\t".join(item.label for item in suggestions.items))
