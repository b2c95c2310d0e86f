"""Announced when a customer answers a follow-up (survey or call); receivers get `follow_up` and `at`."""

from django.dispatch import Signal

followup_answered = Signal()
