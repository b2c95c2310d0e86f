from django.apps import AppConfig


class PurchasesConfig(AppConfig):
    name = "makegood.purchases"
    label = "purchases"
    verbose_name = "Purchases and visits"
