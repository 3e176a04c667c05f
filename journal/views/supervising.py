"""``/supervising/…``: the supervisor's side. They accept an invitation, then read the
packets shared with them, comment, sign off and download the PDF; nothing else of the
clinician's journal is reachable from here.

A share is found only through ``Share.objects.for_supervisor``: open (not expired, not
ended) and shared with this supervisor, who accepted and was not ended. Anything else is a
404, as for anyone else's journal. Supervisors use two-factor: without it, a share page
asks them to set it up first. Every read and download is recorded for the clinician.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from journal import exports
from journal.forms.supervision import SIGN_STATEMENT, SignOffForm
from journal.models import Share, ShareAccess
from journal.services import supervision as services
from journal.views.sharing import closed_note, comment_post, pdf_download, pdf_state
from reflect.ownership import AuthedRequest
from reflect.security import has_mfa, signed_in_with_mfa


def _two_factor_needed(request: HttpRequest) -> HttpResponse | None:
    """Supervisors read others' reflections: signed in with a second factor, or asked to."""
    if signed_in_with_mfa(request):
        return None
    ctx = {"has_mfa": has_mfa(request.user), "here": request.get_full_path()}
    return render(request, "journal/supervising/two_factor_needed.html", ctx, status=403)


# What someone may have typed into a share's forms, given back if it could not be sent.
TYPED = ("body", "sign_comment", "sign_statement")


def _not_found(request: HttpRequest) -> HttpResponse:
    """Not (or no longer) shared with them: a 404 like any other, that gives back what they
    had typed, if anything, so ending access mid-comment loses nothing they wrote."""
    typed = [str(request.POST[name]) for name in TYPED if request.POST.get(name, "").strip()]
    if request.method != "POST" or not typed:
        raise Http404
    ctx = {"typed": "\n\n".join(typed)}
    return render(request, "journal/supervising/not_sent.html", ctx, status=404)


def shared_with_me(view: Callable[[AuthedRequest, Share], HttpResponse]) -> Any:
    """A page of one share: the open share ``uid`` made to this supervisor, or a 404;
    then, without two-factor, a page asking to set it up instead."""

    @login_required
    @wraps(view)
    def page(request: AuthedRequest, uid: Any) -> HttpResponse:
        found = Share.objects.for_supervisor(request.user).select_related("owner", "supervision")
        try:
            share = get_object_or_404(found, uid=uid)
        except Http404:
            return _not_found(request)
        if refused := _two_factor_needed(request):
            return refused
        return view(request, share)

    return page


@login_required
def supervising_home(request: AuthedRequest) -> HttpResponse:
    if Share.objects.for_supervisor(request.user).exists() and (
        refused := _two_factor_needed(request)
    ):
        return refused
    shares = (
        Share.objects.for_supervisor(request.user)
        .select_related("owner", "supervision")
        .defer("document")
        .order_by("owner_id", "-created_at")
    )
    return render(request, "journal/supervising/home.html", {"shares": shares})


# The invitation link being followed, kept in the session through sign-up, the emailed
# confirmation and setting up two-factor, so every page can lead back to it.
PENDING_INVITATION = "pending_invitation"


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: for the address it was sent to, once, before it expires."""
    if not request.user.is_authenticated:
        if request.method != "GET":
            return redirect_to_login(request.get_full_path())
        # Nothing about the invitation is shown before signing in: only the way there.
        request.session[PENDING_INVITATION] = request.path
        return render(request, "journal/supervising/invitation_signin.html")
    return _invitation(typing.cast(AuthedRequest, request), token)


def _invitation(request: AuthedRequest, token: str) -> HttpResponse:
    if services.accepted_by(token, request.user) is not None:
        request.session.pop(PENDING_INVITATION, None)
        messages.info(request, "You accepted this invitation already: what is shared is here.")
        return redirect("journal:supervising")
    supervision = services.invitation_for(token)
    if (
        supervision is None
        or supervision.email.lower() != request.user.email.lower()
        or supervision.owner_id == request.user.pk
    ):
        # Used, expired, ended, unknown or for someone else: all read the same.
        if request.session.get(PENDING_INVITATION) == request.path:
            del request.session[PENDING_INVITATION]
        return render(request, "journal/supervising/invitation_gone.html", status=404)
    mfa = signed_in_with_mfa(request)
    if request.method == "POST" and mfa:
        services.supervision_accept(
            supervision=supervision, user=request.user, absolute=request.build_absolute_uri
        )
        request.session.pop(PENDING_INVITATION, None)
        clinician = supervision.owner.shown_name
        messages.success(request, f"You now supervise {clinician}. What they share appears here.")
        return redirect("journal:supervising")
    if not mfa:  # after setting up two-factor, every page leads back here
        request.session[PENDING_INVITATION] = request.path
    ctx = {
        "supervision": supervision,
        "clinician": supervision.owner.shown_name,
        "signed_in_with_mfa": mfa,
        "has_mfa": has_mfa(request.user),
        "here": request.get_full_path(),
    }
    return render(request, "journal/supervising/invitation.html", ctx)


def _read_page(
    request: AuthedRequest, share: Share, commenting: dict[str, Any] | None = None
) -> HttpResponse:
    doc = exports.shared_document(share, share.comments.all())
    if commenting is None and not share.signed:
        commenting = {}
    if commenting is not None:
        commenting = {
            **commenting,
            "url": reverse("journal:supervising_comment", args=[share.uid]),
            "verb": "Comment",
        }
    ctx = {
        "share": share,
        "doc": doc,
        "clinician": share.owner.shown_name,
        "commenting": commenting,
        "closed_note": closed_note(share),
        "on_screen": True,
        "pdf": pdf_state(share),
    }
    status = 400 if commenting and commenting.get("error") else 200
    return render(request, "journal/supervising/share_read.html", ctx, status=status)


@shared_with_me
def share_read(request: AuthedRequest, share: Share) -> HttpResponse:
    services.access_record(share=share, user=request.user, action=ShareAccess.Action.VIEW)
    return _read_page(request, share)


@shared_with_me
@require_POST
def share_comment(request: AuthedRequest, share: Share) -> HttpResponse:
    return comment_post(
        request,
        share,
        back=reverse("journal:supervising_share", args=[share.uid]),
        page=lambda commenting: _read_page(request, share, commenting),
    )


@shared_with_me
def share_sign_off(request: AuthedRequest, share: Share) -> HttpResponse:
    back = redirect("journal:supervising_share", uid=share.uid)
    if share.signed:
        messages.info(request, "This packet is already signed off.")
        return back
    initial = {
        "sign_name": request.user.display_name
        or request.user.get_full_name()
        or share.supervision.name,
        "sign_credential": request.user.credentials,
        "sign_registration": request.user.registration_number,
        "sign_date": timezone.localdate(),
        "sign_statement": SIGN_STATEMENT,
    }
    form = SignOffForm(request.POST or None, instance=share, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.share_sign_off(
                share=form.save(commit=False),
                user=request.user,
                absolute=request.build_absolute_uri,
            )
        except services.Closed as exc:
            messages.error(request, str(exc))
            return back
        messages.success(request, "Signed off. The signed PDF is being prepared.")
        return back
    ctx = {"form": form, "share": share, "clinician": share.owner.shown_name}
    return render(
        request, "journal/supervising/sign_off.html", ctx, status=400 if form.errors else 200
    )


@shared_with_me
def share_pdf(request: AuthedRequest, share: Share) -> HttpResponse:
    return pdf_download(
        request,
        share,
        back=reverse("journal:supervising_share", args=[share.uid]),
        downloaded=lambda: services.access_record(
            share=share, user=request.user, action=ShareAccess.Action.DOWNLOAD
        ),
    )
