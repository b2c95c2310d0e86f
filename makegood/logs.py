"""Logging helpers."""

from __future__ import annotations

import logging


class ClientErrorsOnOneLine(logging.Filter):
    """A client's mistake (403 Forbidden, 404 Not Found, ...) is logged as one line, without the
    traceback Django attaches: a probe or a stale link is not a bug, and hundreds of tracebacks
    would bury the real ones. Server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
