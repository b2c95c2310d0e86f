"""The browser import runs in the worker (a long file must not hold a web request)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import(run_id: int) -> None:
    from makegood.history.services import import_run_execute

    import_run_execute(run_id)
