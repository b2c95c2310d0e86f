"""Remedies: the catalog, who may grant how much, the append-only ledger, offers and escalations.

Money is always a Decimal with its currency alongside; nothing here is a float.
"""

from makegood.remedies.models.catalog import (
    REFUND_KINDS,
    Effort,
    EmployeeAuthority,
    Purpose,
    RemedyKind,
    RemedyType,
    RoleAuthority,
    default_purpose,
)
from makegood.remedies.models.ledger import (
    Authorization,
    Escalation,
    EscalationStatus,
    Grant,
    Offer,
    OfferStatus,
    OutboundEvent,
    OutboundKind,
    OutboundStatus,
)
from makegood.remedies.models.payments import (
    PAYMENT_OPEN,
    PAYMENT_TRANSITIONS,
    Payment,
    PaymentCallback,
    PaymentRoute,
    PaymentStatus,
)

__all__ = [
    "PAYMENT_OPEN",
    "PAYMENT_TRANSITIONS",
    "REFUND_KINDS",
    "Authorization",
    "Effort",
    "EmployeeAuthority",
    "Escalation",
    "EscalationStatus",
    "Grant",
    "Offer",
    "OfferStatus",
    "OutboundEvent",
    "OutboundKind",
    "OutboundStatus",
    "Payment",
    "PaymentCallback",
    "PaymentRoute",
    "PaymentStatus",
    "Purpose",
    "RemedyKind",
    "RemedyType",
    "RoleAuthority",
    "default_purpose",
]
