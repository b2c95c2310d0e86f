from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "makegood.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
