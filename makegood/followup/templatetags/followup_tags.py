"""The follow-up's card on the case page: an inclusion tag, so that the page needs one
`{% include %}` line and no change to its view. One query."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser, User

from makegood.cases.models import Case
from makegood.followup.models import ANSWERABLE_STATES
from makegood.followup.selectors import followups_for_case, may_record_call

register = template.Library()


@register.inclusion_tag("followup/_case_followups.html")
def case_followups(case: Case, user: User | AnonymousUser) -> dict[str, Any]:
    follow_ups = followups_for_case(case)
    can_record = isinstance(user, User) and may_record_call(user, case) and case.status == "resolved"
    return {
        "case": case,
        "follow_ups": follow_ups,
        "recordable": {f.pk for f in follow_ups if can_record and f.state in ANSWERABLE_STATES},
    }
