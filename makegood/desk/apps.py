from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The everyday desk around the recovery loop: search, customer history, duplicates."""

    name = "makegood.desk"
    label = "desk"
    verbose_name = "Desk"

    def ready(self) -> None:
        from makegood.cases.panels import Panel, register_case_panel
        from makegood.desk import merge  # noqa: F401 - registers the merge's timeline kinds
        from makegood.desk.panels import customer_card, merged_timelines

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
