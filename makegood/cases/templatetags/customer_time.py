"""`{% load customer_time %}`: times shown to customers, in the business's time zone.

Staff pages use the site's `TIME_ZONE`; what a customer reads (e-mails, the confirmation and
survey pages) is written in `MAKEGOOD_TIME_ZONE`, the zone the business and its customers live in,
whatever the server's zone or the process (web or worker) that renders it.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

register = template.Library()


def business_time_zone() -> ZoneInfo:
    return ZoneInfo(settings.BUSINESS_TIME_ZONE)


@register.filter
def customer_time(value: datetime | None, fmt: str = "j F Y, H:i T") -> str:
    """`value` written in the business's time zone with a `date` filter format."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = value.astimezone(business_time_zone())
    with timezone.override(business_time_zone()):
        return date_filter(value, fmt)
