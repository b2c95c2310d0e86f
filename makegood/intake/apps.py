from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "makegood.intake"
    label = "intake"
    verbose_name = "Intake"

    def ready(self) -> None:
        from makegood.cases.panels import Panel, register_queue_panel

        # "Record a complaint" beside the queue's heading, for those who may open cases.
        register_queue_panel(
            "queue_actions",
            Panel(name="record", template="intake/_queue_record.html", order=10, permission="cases.add_case"),
        )
