"""Who may see and do what in the improvement loop: the one "fetch and authorize" place.

- Process owners and administrators (`manage_improvement`) see and run everything.
- Managers (`view_improvement`) see the charts and fixes, counted over the cases they may see.
- Anyone who owns a cause (directly, or through its category) sees that cause, its fixes and its
  customers' suggestions, and runs its fixes; the owner of a fix runs that fix.
- Everyone else (a frontline employee of another team, say) sees none of it: 404 or 403.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from makegood.causes.models import Cause
from makegood.improvement.models import ImprovementAction, SuggestionGroup

MANAGE = "improvement.manage_improvement"
VIEW = "improvement.view_improvement"


def owned_causes_q(user: User | AnonymousUser, prefix: str = "") -> Q:
    """Causes the user owns: their own, or with no owner in a category they own."""
    return Q(**{f"{prefix}owner_id": user.pk}) | Q(
        **{f"{prefix}owner__isnull": True, f"{prefix}category__owner_id": user.pk}
    )


def can_manage(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm(MANAGE)


def can_view_reports(user: User | AnonymousUser) -> bool:
    """The Pareto chart, trends and fixes: for those with the permission and for cause owners."""
    if not user.is_authenticated:
        return False
    return user.has_perm(VIEW) or user.has_perm(MANAGE) or Cause.objects.filter(owned_causes_q(user)).exists()


def require_reports(user: User | AnonymousUser) -> None:
    if not can_view_reports(user):
        raise PermissionDenied("Your role does not see the improvement reports.")


def causes_for(user: User | AnonymousUser) -> QuerySet[Cause]:
    """The causes whose charts and fixes the user may see."""
    causes = Cause.objects.select_related("category", "owner", "category__owner")
    if user.is_authenticated and (user.has_perm(VIEW) or user.has_perm(MANAGE)):
        return causes
    if not user.is_authenticated:
        return causes.none()
    return causes.filter(owned_causes_q(user))


def can_run_cause(user: User | AnonymousUser, cause: Cause) -> bool:
    """Open fixes for the cause and answer its suggestions."""
    return can_manage(user) or (user.is_authenticated and cause.effective_owner_id == user.pk)


def actions_for(user: User | AnonymousUser) -> QuerySet[ImprovementAction]:
    actions = ImprovementAction.objects.select_related("cause__category", "owner")
    if not user.is_authenticated:
        return actions.none()
    if user.has_perm(VIEW) or user.has_perm(MANAGE):
        return actions
    return actions.filter(Q(owner_id=user.pk) | owned_causes_q(user, "cause__"))


def action_get_for_user(user: User | AnonymousUser, pk: int) -> ImprovementAction:
    action = actions_for(user).filter(pk=pk).first()
    if action is None:
        raise Http404("No such fix.")
    return action


def can_run_action(user: User | AnonymousUser, action: ImprovementAction) -> bool:
    return can_manage(user) or (user.is_authenticated and user.pk in (action.owner_id, action.cause.effective_owner_id))


def suggestion_groups_for(user: User | AnonymousUser) -> QuerySet[SuggestionGroup]:
    """The inbox: the groups under causes the user owns (every group, unrouted ones too, for managers of the loop)."""
    groups = SuggestionGroup.objects.select_related("cause__category")
    if not user.is_authenticated:
        return groups.none()
    if can_manage(user):
        return groups
    return groups.filter(owned_causes_q(user, "cause__"))


def suggestion_group_get_for_user(user: User | AnonymousUser, pk: int) -> SuggestionGroup:
    group = suggestion_groups_for(user).filter(pk=pk).first()
    if group is None:
        raise Http404("No such suggestion.")
    return group
