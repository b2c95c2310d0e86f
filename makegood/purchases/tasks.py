"""The CSV import runs in the worker (a long file must not hold a web request)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_purchase_import(run_id: int) -> None:
    from makegood.purchases.imports import purchase_import_execute

    purchase_import_execute(run_id)
