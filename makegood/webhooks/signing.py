"""The webhook signature, made by the outbox's one signer (`makegood.outbox.signing`).

Kept here for receivers' code and tests that import it from the webhooks app.
"""

from makegood.outbox.signing import (
    DEFAULT_TOLERANCE_SECONDS,
    SIGNATURE_HEADER,
    signature_compute,
    signature_header,
    signature_verify,
)

__all__ = ["DEFAULT_TOLERANCE_SECONDS", "SIGNATURE_HEADER", "signature_compute", "signature_header", "signature_verify"]
