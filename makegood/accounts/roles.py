"""What each role may do, and the one place that answers "may this person see this case?"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from makegood.accounts.models import Role, Team

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class OwnedByTeam(Protocol):
    """What deciding who may see a case reads of it (accounts sits below cases: no import of it)."""

    owner_id: int | None
    team_id: int | None
    created_by_id: int | None
    transfer_team_id: int | None


# Managers (and whoever may reassign cases) see the cases in no team: someone must route them.
SEES_UNROUTED = "cases.reassign_case"


# Permissions per role (app_label.codename). Applied by the accounts data migration and by
# `makegood sync_roles`, so the groups in the database always match this table.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.FRONTLINE: [
        "cases.view_case",
        "cases.add_case",
        "cases.respond_case",
        "cases.view_customer",
        "remedies.view_remedytype",
        "remedies.grant_remedy",
        "remedies.confirm_payment",
        "causes.view_cause",
        # The business's till or shop sends purchases through an integration's token (a frontline user).
        "purchases.add_purchase",
    ],
    Role.MANAGER: [
        "cases.view_case",
        "cases.add_case",
        "cases.respond_case",
        "cases.reassign_case",
        "cases.view_customer",
        "remedies.view_remedytype",
        "remedies.grant_remedy",
        "remedies.decide_escalation",
        "remedies.view_remedy_reports",
        "remedies.confirm_payment",
        "remedies.manage_payments",
        "causes.view_cause",
        "improvement.view_improvement",
        "insights.view_insights",
    ],
    Role.PROCESS_OWNER: [
        "cases.view_case",
        "cases.view_all_cases",
        "cases.view_customer",
        "remedies.view_remedytype",
        "remedies.view_remedy_reports",
        "causes.view_cause",
        "improvement.view_improvement",
        "improvement.manage_improvement",
        "insights.view_insights",
    ],
    Role.ADMINISTRATOR: [
        "cases.view_case",
        "cases.add_case",
        "cases.respond_case",
        "cases.reassign_case",
        "cases.view_all_cases",
        "cases.view_customer",
        "cases.view_responsetarget",
        "cases.change_responsetarget",
        "cases.view_auditentry",
        "accounts.view_team",
        "accounts.add_team",
        "accounts.change_team",
        "accounts.view_openinghours",
        "accounts.add_openinghours",
        "accounts.change_openinghours",
        "accounts.delete_openinghours",
        "accounts.view_holiday",
        "accounts.add_holiday",
        "accounts.change_holiday",
        "accounts.delete_holiday",
        "accounts.view_staffprofile",
        "accounts.change_staffprofile",
        "accounts.add_staffprofile",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "accounts.view_apitoken",
        "accounts.add_apitoken",
        "accounts.change_apitoken",
        "recovery.view_scriptprompt",
        "recovery.add_scriptprompt",
        "recovery.change_scriptprompt",
        "recovery.delete_scriptprompt",
        "recovery.view_suggestion",
        "remedies.view_remedytype",
        "remedies.add_remedytype",
        "remedies.change_remedytype",
        "remedies.grant_remedy",
        "remedies.decide_escalation",
        "remedies.view_remedy_reports",
        "remedies.view_roleauthority",
        "remedies.add_roleauthority",
        "remedies.change_roleauthority",
        "remedies.view_employeeauthority",
        "remedies.add_employeeauthority",
        "remedies.change_employeeauthority",
        "remedies.view_grant",
        "remedies.view_offer",
        "remedies.view_escalation",
        "remedies.view_outboundevent",
        "remedies.confirm_payment",
        "remedies.manage_payments",
        "remedies.view_payment",
        "followup.view_followuppolicy",
        "followup.add_followuppolicy",
        "followup.change_followuppolicy",
        "followup.view_followup",
        "webhooks.view_webhookendpoint",
        "webhooks.add_webhookendpoint",
        "webhooks.change_webhookendpoint",
        "webhooks.delete_webhookendpoint",
        "webhooks.view_webhookdelivery",
        "outbox.view_outboxmessage",
        "outbox.retry_outboxmessage",
        "causes.view_cause",
        "causes.add_cause",
        "causes.change_cause",
        "causes.view_causecategory",
        "causes.add_causecategory",
        "causes.change_causecategory",
        "causes.view_causemodel",
        "improvement.view_improvement",
        "improvement.manage_improvement",
        "history.import_history",
        "purchases.add_purchase",
        "purchases.view_purchase",
        "purchases.import_purchases",
        "insights.view_insights",
        "intake.view_inboundmessage",
        "intake.retry_inboundmessage",
    ],
}


def role_of(user: User | AnonymousUser) -> Role | None:
    """The most senior role the user holds (a user may sit in several groups)."""
    if not user.is_authenticated:
        return None
    names = set(user.groups.values_list("name", flat=True))
    for role in (Role.ADMINISTRATOR, Role.PROCESS_OWNER, Role.MANAGER, Role.FRONTLINE):
        if role.value in names:
            return role
    return None


def team_id_of(user: User | AnonymousUser) -> int | None:
    staff = getattr(user, "staff", None)
    return staff.team_id if staff is not None else None


def can_view_case(user: User | AnonymousUser, case: OwnedByTeam) -> bool:
    if not user.is_authenticated or not user.has_perm("cases.view_case"):
        return False
    if user.has_perm("cases.view_all_cases"):
        return True
    if case.owner_id == user.pk or case.created_by_id == user.pk:
        return True
    if case.team_id is None and user.has_perm(SEES_UNROUTED):
        return True
    team_id = team_id_of(user)
    return team_id is not None and team_id in (case.team_id, case.transfer_team_id)


def report_scope(user: User, team_slug: str) -> tuple[list[Team], Team | None, bool, bool]:
    """Which team a report covers: (teams to choose from, the team reported on, whether it is
    locked to the person's own team, whether anything may be seen at all).

    Those who see every team choose one (or all, with no slug); the others see their own team only.
    """
    if user.has_perm("cases.view_all_cases"):
        teams = list(Team.objects.order_by("name"))
        return teams, next((t for t in teams if t.slug == team_slug), None), False, True
    team_id = team_id_of(user)
    own = Team.objects.filter(pk=team_id).first() if team_id is not None else None
    return ([own] if own else []), own, True, own is not None
