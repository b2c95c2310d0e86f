"""The survey link: signed and expiring, carrying only the follow-up's id and a random nonce.

No customer data travels in the URL. The nonce, stored on the follow-up, means a token cannot be
made up for another follow-up even by someone who knows the id; the signature (SECRET_KEY, with
a salt of its own) means it cannot be changed; the timestamp inside it makes it expire.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from makegood.followup.models import FollowUp

SURVEY_SALT = "makegood.followup.survey"
# Counted from the e-mail that carried the link (the reminder carries a fresh one).
SURVEY_LINK_MAX_AGE = timedelta(days=14)


class LinkInvalid(Exception):
    """Not a link we made (tampered with, truncated, or for a follow-up that no longer exists)."""


class LinkExpired(LinkInvalid):
    """A genuine link, older than SURVEY_LINK_MAX_AGE."""


def survey_token(follow_up: FollowUp) -> str:
    return signing.dumps({"f": follow_up.pk, "n": follow_up.nonce}, salt=SURVEY_SALT)


def survey_path(follow_up: FollowUp) -> str:
    return reverse("followup_survey", kwargs={"token": survey_token(follow_up)})


def survey_url(follow_up: FollowUp) -> str:
    return settings.SITE_URL.rstrip("/") + survey_path(follow_up)


def follow_up_from_token(token: str) -> FollowUp:
    """The follow-up a link is for; LinkExpired or LinkInvalid otherwise."""
    try:
        payload = signing.loads(token, salt=SURVEY_SALT, max_age=SURVEY_LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkExpired("This link has expired.") from exc
    except (signing.BadSignature, ValueError, TypeError, UnicodeError) as exc:
        raise LinkInvalid("This link is not valid.") from exc
    if not isinstance(payload, dict):
        raise LinkInvalid("This link is not valid.")
    pk, nonce = payload.get("f"), payload.get("n")
    if not isinstance(pk, int) or not isinstance(nonce, str):
        raise LinkInvalid("This link is not valid.")
    follow_up = FollowUp.objects.select_related("case__customer").filter(pk=pk).first()
    if follow_up is None or not constant_time_compare(follow_up.nonce, nonce):
        raise LinkInvalid("This link is not valid.")
    return follow_up
