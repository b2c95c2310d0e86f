"""REST endpoints for remedies, one module per resource: the catalog, authority, grants, the
customer's demand and the three options, escalations and managers' decisions, the loss, and the
remedy state of a case. The same services and selectors as the screens, so the same rules and the
same answers.

Refusals: 422 with messages per field, 409 when the case's state forbids it (closed, already
answered), 403 for a role that may not, 404 for a case one may not see. There is no endpoint to
deny a customer: a manager approves or takes the case over.
"""

from makegood.remedies.api import authority, catalog, escalations, grants, loss, options, payments, state
from makegood.remedies.api.common import router

__all__ = ["authority", "catalog", "escalations", "grants", "loss", "options", "payments", "router", "state"]
