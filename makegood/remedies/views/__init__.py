"""The remedies screens: the panel on a case, managers' approvals, the reports."""

from makegood.remedies.views.approvals import approval_decide_view, approvals, authority_strip
from makegood.remedies.views.panel import (
    remedies_choose,
    remedies_deliver,
    remedies_demand,
    remedies_escalate,
    remedies_extra,
    remedies_extra_skip,
    remedies_grant,
    remedies_loss,
    remedies_none,
    remedies_panel,
    remedies_restore,
)
from makegood.remedies.views.reports import remedy_reports

__all__ = [
    "approval_decide_view",
    "approvals",
    "authority_strip",
    "remedies_choose",
    "remedies_deliver",
    "remedies_demand",
    "remedies_escalate",
    "remedies_extra",
    "remedies_extra_skip",
    "remedies_grant",
    "remedies_loss",
    "remedies_none",
    "remedies_panel",
    "remedies_restore",
    "remedy_reports",
]
