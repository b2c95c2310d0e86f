"""Staff, their teams and the credentials integrations use."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    """Each role is a Django group of the same name; permissions hang off the group."""

    FRONTLINE = "frontline", "Frontline employee"
    MANAGER = "manager", "Manager"
    PROCESS_OWNER = "process_owner", "Process owner"
    ADMINISTRATOR = "administrator", "Administrator"


class Team(models.Model):
    """A team working at one location (a store, a contact centre, the online desk)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    location = models.CharField(max_length=200, blank=True)
    # New complaints that arrive without a team (web form, e-mail, API) go here.
    receives_unrouted = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")

    def __str__(self) -> str:
        return f"{self.user} ({self.team or 'no team'})"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, help_text="The start of the token, to recognise it by.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, *, user: models.Model, name: str = "") -> tuple[ApiToken, str]:
        """Create a token; return it with the plain text, which is never stored."""
        plain = "mg_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=plain[:10], digest=_digest(plain))
        return token, plain

    @classmethod
    def find_active(cls, plain: str) -> ApiToken | None:
        return (
            cls.objects.select_related("user", "user__staff")
            .filter(digest=_digest(plain), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
