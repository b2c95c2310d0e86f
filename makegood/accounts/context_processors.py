from typing import Any

from django.http import HttpRequest

from makegood.accounts.roles import role_of


def staff(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person's role and team, for the page header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    profile = getattr(user, "staff", None)
    role = role_of(user)
    return {"staff_role": role.label if role else "", "staff_team": profile.team if profile else None}
