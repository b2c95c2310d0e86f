from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "makegood.cases"
    label = "cases"
    verbose_name = "Cases"
