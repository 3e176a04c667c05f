"""Files the app hands over: always as attachments, under a safely quoted name."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def attachment(body: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    """A response that downloads ``body`` as ``filename`` (never shown inline)."""
    response = HttpResponse(body, content_type=content_type)
    header = content_disposition_header(True, filename)
    assert header is not None  # only None for an inline file without a name
    response["Content-Disposition"] = header
    return response
