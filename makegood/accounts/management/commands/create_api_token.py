"""`makegood create_api_token USERNAME [--role ROLE] [--team TEAM] [--create-team] [--force]`: a bearer
token for the REST API.

The token is printed on the last line and nothing after it, so scripts can take it with
`tail -n 1`. Only its hash is stored: it cannot be shown again. A mistyped team name or a role
given for someone who already has another one is refused (non-zero exit) rather than silently
creating a team or promoting a person: `--create-team` and `--force` say it was meant.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from makegood.accounts.models import Role, Team
from makegood.accounts.roles import role_of
from makegood.accounts.services import api_token_issue, staff_create_or_update, team_get_or_create


def _role(raw: str) -> Role:
    wanted = raw.strip().lower().replace("-", "_").replace(" ", "_")
    for role in Role:
        if wanted in (role.value, slugify(role.label).replace("-", "_")):
            return role
    choices = ", ".join(role.value for role in Role)
    raise CommandError(f"Unknown role {raw!r}; use one of: {choices}.")


def _team(raw: str, *, create: bool) -> Team:
    """The team with this name or slug; a new one only when `create` says so."""
    name = raw.strip()
    if not name:
        raise CommandError("The team's name must not be empty.")
    found = Team.objects.filter(Q(slug=slugify(name)) | Q(name__iexact=name) | Q(slug=name)).first()
    if found is not None:
        return found
    if not create:
        known = ", ".join(Team.objects.order_by("name").values_list("name", flat=True)) or "none yet"
        raise CommandError(f"No team {name!r} (teams: {known}). Add --create-team to create it.")
    return team_get_or_create(name)


class Command(BaseCommand):
    help = (
        "Issue an API token for USERNAME, creating the staff member if missing (default role: frontline; "
        "default team: the one receiving new complaints). Prints the token on the last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", help=f"One of: {', '.join(role.value for role in Role)}.")
        parser.add_argument("--team", help="Team name or slug (must exist unless --create-team).")
        parser.add_argument("--create-team", action="store_true", help="Create the --team if there is none.")
        parser.add_argument("--force", action="store_true", help="Allow changing the role of an existing staff member.")
        parser.add_argument("--name", default="cli", help="A label for the token (what uses it).")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"].strip()
        if not username:
            raise CommandError("The username must not be empty.")
        role = _role(options["role"]) if options["role"] else None
        team = _team(options["team"], create=options["create_team"]) if options["team"] else None
        user = User.objects.select_related("staff__team").filter(username=username).first()
        if user is not None and role is not None and role != role_of(user) and not options["force"]:
            raise CommandError(f"{username} already exists ({_describe(user)}); add --force to make them {role.value}.")
        if user is None:
            # A new integration sees the cases it files: they go to the team receiving new complaints.
            team = team or Team.objects.receiving_unrouted()
            user = staff_create_or_update(username=username, role=role or Role.FRONTLINE, team=team)
            self.stdout.write(f"Created {username} ({_describe(user)}).")
        elif role is not None or team is not None:
            current_team = user.staff.team if hasattr(user, "staff") else None
            user = staff_create_or_update(
                username=username,
                role=role or role_of(user) or Role.FRONTLINE,
                team=team or current_team,
            )
            self.stdout.write(f"Updated {username} ({_describe(user)}).")
        else:
            self.stdout.write(f"{username} exists ({_describe(user)}).")
        token = api_token_issue(user=user, name=options["name"])
        self.stdout.write("API token (shown once; send it as 'Authorization: Bearer <token>'):")
        self.stdout.write(token)


def _describe(user: User) -> str:
    role = role_of(user)
    team = user.staff.team if hasattr(user, "staff") else None
    return f"role {role.value if role else 'none'}, team {team.name if team else 'none'}"
