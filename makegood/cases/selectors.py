"""Reading cases, always through what the person asking may see."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404

from makegood.accounts.models import Team
from makegood.accounts.roles import SEES_UNROUTED, team_id_of
from makegood.cases.models import Case, Status, parse_reference


def cases_visible_to(user: User | AnonymousUser) -> QuerySet[Case]:
    """The cases a person may see: everything for `view_all_cases`, else their team's, those they
    own, those they filed (an API client always reads back what it created), those being
    transferred to their team and, for managers, the unrouted ones (in no team), so that no case is
    ever invisible. `can_view_case` says the same."""
    if not user.is_authenticated or not user.has_perm("cases.view_case"):
        return Case.objects.none()
    cases = Case.objects.all()
    if user.has_perm("cases.view_all_cases"):
        return cases
    team_id = team_id_of(user)
    visible = Q(owner_id=user.pk) | Q(created_by_id=user.pk)
    if team_id is not None:
        visible |= Q(team_id=team_id) | Q(transfer_team_id=team_id)
    if user.has_perm(SEES_UNROUTED):
        visible |= Q(team_id__isnull=True)
    return cases.filter(visible)


def team_cases_visible_to(user: User | AnonymousUser, *, team: Team | None) -> QuerySet[Case]:
    """The cases of one team (None: the unrouted ones) that a person may see, as `cases_visible_to`
    says: all of them, with no condition but the team, when they may see the whole team.

    The queue counts a team's open cases off an index of the columns its views narrow on;
    `cases_visible_to`'s condition (owner, filer, transfer) would make every count read each case
    from the table, although for one's own team it lets every case through.
    """
    if not user.is_authenticated or not user.has_perm("cases.view_case"):
        return Case.objects.none()
    whole_team = user.has_perm("cases.view_all_cases") or (
        team_id_of(user) == team.pk if team is not None else user.has_perm(SEES_UNROUTED)
    )
    if whole_team:
        return Case.objects.filter(team=team)
    return cases_visible_to(user).filter(team=team)


def incoming_transfers(user: User | AnonymousUser, *, team: Team) -> QuerySet[Case]:
    """Open cases being transferred to `team`, oldest first, as `user` may see them."""
    return (
        cases_visible_to(user)
        .filter(transfer_team=team, status__in=(Status.NEW, Status.OPEN))
        .select_related("customer", "owner", "team")
        .order_by("received_at", "pk")[:50]
    )


def case_get_for_user(user: User | AnonymousUser, reference: str) -> Case:
    """The case with this reference, or Http404 when it does not exist *or* is not theirs to see."""
    parsed = parse_reference(reference)
    if parsed is None:
        raise Http404("No such case.")
    year, pk = parsed
    related = ("customer", "owner", "team", "transfer_team", "follows")
    case = cases_visible_to(user).select_related(*related).filter(pk=pk).first()
    # The year is compared as the reference writes it (`received_at.year` in UTC), not with a
    # `__year` lookup in the site's time zone, which would miss cases received around New Year.
    if case is None or case.received_at.year != year:
        raise Http404("No such case.")
    return case
