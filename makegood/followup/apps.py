from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "makegood.followup"
    label = "followup"
    verbose_name = "Follow-up"
