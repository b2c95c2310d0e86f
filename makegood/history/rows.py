"""Reading one row of a history CSV into a checked complaint, or a reason to reject it.

Pure (no database): the importer resolves teams, causes and duplicates in bulk afterwards.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from makegood.cases.customers import normalize_email, normalize_phone
from makegood.cases.models import Channel
from makegood.causes.models import Failure

FIELDS = (
    "received_at",
    "customer_name",
    "customer_email",
    "customer_phone",
    "story",
    "subject",
    "expectation",
    "channel",
    "external_id",
    "root_cause",
    "failure",
    "team",
)
REQUIRED = ("received_at",)
# A live complaint is capped at 20,000 characters; history keeps a long narrative whole.
LIMITS = {
    "customer_name": 200,
    "story": 200_000,
    "subject": 200,
    "expectation": 5_000,
    "external_id": 100,
    "root_cause": 300,
}
DATE_FORMATS = ("%Y/%m/%d", "%Y-%m-%d", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S")
CHANNEL_WORDS: dict[str, str] = {
    "web": Channel.WEB,
    "web form": Channel.WEB,
    "website": Channel.WEB,
    "online": Channel.WEB,
    "email": Channel.EMAIL,
    "e-mail": Channel.EMAIL,
    "mail": Channel.EMAIL,
    "phone": Channel.PHONE,
    "telephone": Channel.PHONE,
    "call": Channel.PHONE,
    "in person": Channel.IN_PERSON,
    "in_person": Channel.IN_PERSON,
    "counter": Channel.IN_PERSON,
    "store": Channel.IN_PERSON,
    "chat": Channel.CHAT,
    "social": Channel.SOCIAL,
    "social media": Channel.SOCIAL,
}
FAILURE_WORDS = {
    "system": Failure.SYSTEM,
    "process": Failure.SYSTEM,
    "person": Failure.PERSON,
    "people": Failure.PERSON,
}


class Rejected(Exception):
    """A row that cannot be imported; the message says why, for the report."""


@dataclass(frozen=True)
class Row:
    number: int  # the line's number in the file, header = 1
    received_at: datetime
    customer_name: str
    customer_email: str
    customer_phone: str
    story: str
    subject: str
    expectation: str
    channel: str
    external_id: str
    root_cause: str
    failure: str
    team: str


@functools.lru_cache(maxsize=8192)
def parse_moment(value: str, date_format: str = "") -> datetime:
    """History repeats its dates (many complaints a day): each distinct one is parsed once."""
    value = value.strip()
    if not value:
        raise Rejected("No date received.")
    formats = (date_format,) if date_format else DATE_FORMATS
    moment = None
    if not date_format:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
    for fmt in formats:
        if moment is not None:
            break
        try:
            moment = datetime.strptime(value, fmt)  # noqa: DTZ007 - made aware just below
        except ValueError:
            continue
    if moment is None:
        hint = f" (expected {date_format})" if date_format else "; give --date-format (e.g. %d/%m/%Y)"
        raise Rejected(f"Unreadable date {value!r}{hint}.")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def row_parse(
    number: int,
    raw: Mapping[str, str | None],
    mapping: Mapping[str, str],
    *,
    default_channel: str,
    date_format: str = "",
) -> Row:
    """The mapped values of one CSV row, checked and normalised; raises Rejected."""
    values = {field: (raw.get(column) or "").strip() for field, column in mapping.items()}
    for field, limit in LIMITS.items():
        if len(values.get(field, "")) > limit:
            raise Rejected(f"{field} is longer than {limit} characters.")
    received_at = parse_moment(values.get("received_at", ""), date_format)
    if received_at > timezone.now():
        raise Rejected(f"The date received ({received_at:%Y-%m-%d}) is in the future.")
    channel = default_channel
    if values.get("channel"):
        channel = CHANNEL_WORDS.get(values["channel"].lower(), "")
        if not channel:
            raise Rejected(f"Unknown channel {values['channel']!r}; use one of: {', '.join(Channel.values)}.")
    try:
        email = normalize_email(values.get("customer_email", ""))
    except ValidationError:
        raise Rejected(f"{values.get('customer_email')!r} is not an e-mail address.") from None
    try:
        phone = normalize_phone(values.get("customer_phone", ""))
    except ValidationError:
        raise Rejected(f"{values.get('customer_phone')!r} is not a phone number.") from None
    failure = ""
    if values.get("failure"):
        failure = FAILURE_WORDS.get(values["failure"].lower(), "")
        if not failure:
            raise Rejected(f"Unknown failure {values['failure']!r}; use system or person.")
    story, subject, cause = values.get("story", ""), values.get("subject", ""), values.get("root_cause", "")
    # History needs no story as long as something says what the complaint was about.
    if not (story or subject or cause):
        raise Rejected("Nothing says what happened: no story, subject or root cause.")
    return Row(
        number=number,
        received_at=received_at,
        customer_name=values.get("customer_name", ""),
        customer_email=email,
        customer_phone=phone,
        story=story,
        subject=subject,
        expectation=values.get("expectation", ""),
        channel=channel,
        external_id=values.get("external_id", ""),
        root_cause=cause,
        failure=failure,
        team=values.get("team", ""),
    )
