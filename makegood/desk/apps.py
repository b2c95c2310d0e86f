from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The everyday desk around the recovery loop: search, customer history, duplicates."""

    name = "makegood.desk"
    label = "desk"
    verbose_name = "Desk"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from makegood.cases.panels import Panel, register_case_panel
        from makegood.desk import merge  # noqa: F401 - registers the merge's timeline kinds
        from makegood.desk.panels import customer_card, merged_timelines

        post_migrate.connect(_search_index_ensure, sender=self, dispatch_uid="desk_search_index_ensure")
        register_case_panel(
            "case_side",
            Panel(
                name="customer",
                template="desk/_case_customer.html",
                order=5,
                context=customer_card,
                permission="cases.view_case",
                css=("desk/desk.css",),
            ),
        )
        register_case_panel(
            "case_main",
            Panel(name="merged", template="desk/_case_merged.html", order=40, context=merged_timelines),
        )


def _search_index_ensure(sender: object, *, using: str = "default", **_: object) -> None:
    """After a migrate, while the index's migration is applied: its triggers are still there
    (`search_index_ensure` says how a later migration can lose them)."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from makegood.desk.search_index import search_index_ensure

    connection = connections[using]
    if ("desk", "0001_search_index") in MigrationRecorder(connection).applied_migrations():
        search_index_ensure(connection)
