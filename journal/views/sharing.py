"""What both sides of a share do alike: post a comment, and get the share's PDF.

Used by ``supervision.py`` (the clinician) and ``supervising.py`` (the supervisor); each
fetches the share its own way (owner, or supervisor of an open share) before calling here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.utils import timezone

from journal import exports, tasks
from journal.forms.supervision import CommentForm
from journal.models import JobStatus, Share, SharePdf
from journal.services import supervision as services
from reflect.downloads import attachment
from reflect.ownership import AuthedRequest


def closed_note(share: Share) -> str:
    """Why a share takes no more comments, said where the comment box would be."""
    if share.signed:
        return "Comments are closed: the packet was signed off."
    if not share.is_open:
        return "Comments are closed: this packet is no longer shared."
    return ""


def anchors(share: Share) -> set[str]:
    """The items of the snapshot a comment may be about (besides the packet as a whole)."""
    return {str(item["anchor"]) for item in share.document.get("items", [])}


def comment_post(
    request: AuthedRequest,
    share: Share,
    *,
    back: str,
    page: Callable[[dict[str, Any]], HttpResponse],
) -> HttpResponse:
    """Add the posted comment, or show the page again with the error beside the box and
    the text kept."""
    form = CommentForm(request.POST, anchors=anchors(share))
    if not form.is_valid():
        error = next(iter(form.errors.values()))[0]
        anchor = str(request.POST.get("anchor", ""))
        return page(
            {
                # An item that is not in the packet: the error shows on the packet's own box.
                "anchor": anchor if anchor in anchors(share) else "",
                "body": str(request.POST.get("body", "")),
                "error": error,
            }
        )
    anchor, body = form.cleaned_data["anchor"], form.cleaned_data["body"]
    try:
        services.comment_add(
            share=share,
            author=request.user,
            anchor=anchor,
            body=body,
            absolute=request.build_absolute_uri,
        )
    except services.Closed as exc:
        # Closed while they wrote (signed off, ended): the text stays in its box, with why.
        return page({"anchor": anchor, "body": body, "error": str(exc), "closed": True})
    messages.success(request, "Comment added.")
    return HttpResponseRedirect(f"{back}#comments-{anchor or 'packet'}")


def pdf_state(share: Share) -> SharePdf | None:
    """The share's latest PDF (signed once it is signed off), its worker looked after."""
    pdf = share.pdfs.filter(signed=share.signed).defer("content").first()
    if pdf is not None and tasks.reclaim(pdf):
        pdf.refresh_from_db(fields=["status", "error", "lease_until", "attempts"])
    return pdf


def pdf_download(
    request: AuthedRequest, share: Share, *, back: str, downloaded: Callable[[], None] | None = None
) -> HttpResponse:
    pdf = share.pdfs.filter(signed=share.signed, status=JobStatus.DONE).first()
    if pdf is None or pdf.content is None:
        messages.info(request, "The PDF is still being prepared. Try again in a moment.")
        return HttpResponseRedirect(back)
    if downloaded is not None:
        downloaded()
    stem = f"{share.title} signed" if share.signed else share.title
    name = exports.filename_for(stem, "pdf", timezone.localdate(share.created_at))
    return attachment(bytes(pdf.content), content_type="application/pdf", filename=name)
