"""Creating staff and keeping the role groups in step with ROLE_PERMISSIONS."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.utils.text import slugify

from makegood.accounts.models import ApiToken, Role, StaffProfile, Team
from makegood.accounts.roles import ROLE_PERMISSIONS


def roles_sync(**_: Any) -> None:
    """Make each role's group hold exactly the permissions listed for it (runs after migrate)."""
    wanted = {dotted for perms in ROLE_PERMISSIONS.values() for dotted in perms}
    labels = {dotted.split(".")[0] for dotted in wanted}
    found = {
        f"{perm.content_type.app_label}.{perm.codename}": perm
        for perm in Permission.objects.filter(content_type__app_label__in=labels).select_related("content_type")
    }
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set([found[dotted] for dotted in perms if dotted in found])


def team_get_or_create(name: str) -> Team:
    team, _created = Team.objects.get_or_create(slug=slugify(name)[:100], defaults={"name": name})
    return team


@transaction.atomic
def staff_create_or_update(
    *,
    username: str,
    role: Role,
    team: Team | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    password: str | None = None,
) -> User:
    """A staff member in exactly one role group, on a team; `is_staff` (admin site) for administrators."""
    user, _created = User.objects.get_or_create(username=username)
    user.first_name = first_name or user.first_name
    user.last_name = last_name or user.last_name
    user.email = email or user.email
    user.is_staff = role == Role.ADMINISTRATOR
    if password is not None:
        user.set_password(password)
    elif not user.password:
        user.set_unusable_password()
    user.save()
    user.groups.set([Group.objects.get(name=role.value)])
    StaffProfile.objects.update_or_create(user=user, defaults={"team": team})
    return user


def api_token_issue(*, user: User, name: str = "") -> str:
    """A new bearer token for the user; the plain text is returned once and never stored."""
    _token, plain = ApiToken.issue(user=user, name=name)
    return plain
