"""Log lines that name their request and never quote what a clinician wrote."""

from __future__ import annotations

import logging
import os
from contextvars import ContextVar
from types import TracebackType

# Set by RequestIdMiddleware for the length of one request; "-" outside requests.
current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Give every record a request_id, so the formatter can always name it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # Django logs a response's status after the middleware has returned.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current_request_id.get()
        return True


class OneLineFailureFilter(logging.Filter):
    """Turn a record with a traceback into one line: what failed and where.

    An exception's message and a traceback's source lines can quote the text
    being saved (a database error repeats the value it refused), so only the
    exception's type and the place it was raised are kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info or record.exc_info[1] is None:
            return True
        exc = record.exc_info[1]
        parts = [record.getMessage()]
        request = getattr(record, "request", None)
        if request is not None:
            parts.append(f"method={request.method}")
        status = getattr(record, "status_code", None)
        if status is not None:
            parts.append(f"status={status}")
        parts.append(f"exception={type(exc).__module__}.{type(exc).__qualname__}")
        parts.append(f"at={raised_at(record.exc_info[2])}")
        record.msg = " ".join(parts)
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        return True


def raised_at(tb: TracebackType | None) -> str:
    """The innermost frame of our own code (else the innermost), as path:line in function."""
    frames: list[tuple[str, int, str]] = []
    while tb is not None:
        code = tb.tb_frame.f_code
        frames.append((code.co_filename, tb.tb_lineno, code.co_name))
        tb = tb.tb_next
    if not frames:
        return "-"
    ours = [f for f in frames if "site-packages" not in f[0] and "/lib/python" not in f[0]]
    filename, line, function = (ours or frames)[-1]
    base = os.getcwd() + os.sep
    if filename.startswith(base):
        filename = filename[len(base) :]
    return f"{filename}:{line}:{function}"
