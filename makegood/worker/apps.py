from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "makegood.worker"
    label = "worker"
    verbose_name = "Task worker"
