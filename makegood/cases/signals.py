"""What happens to a case, announced for the parts of Makegood that react to it.

Sent inside the service's transaction (after the case is saved), so a receiver's own writes
(a follow-up scheduled, a webhook delivery queued) commit or roll back with the case; a receiver
that talks to the outside world does so from a task enqueued on commit. Receivers get `case`,
`actor` (a User or None) and `at`.
"""

from django.dispatch import Signal

case_opened = Signal()
case_resolved = Signal()
# Also gets `reason`: why the case came back (a dissatisfied follow-up answer, say).
case_reopened = Signal()
case_closed = Signal()
