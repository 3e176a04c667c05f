"""``/supervision/…``: the clinician's side of supervision.

Supervisors invited and their status, packets shared with them (each a fixed snapshot),
the comments on a share, who opened it and when, and ending access.
"""

from __future__ import annotations

from typing import Any

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from journal import exports
from journal.forms.supervision import InviteForm, ShareForm, ShareUntilForm
from journal.models import JobStatus, Packet, Share, ShareAccess, ShareComment, Supervision
from journal.services import supervision as services
from journal.views.sharing import closed_note, comment_post, pdf_download, pdf_state
from reflect.ownership import AuthedRequest, get_owned_or_404

# How many of a share's access-log lines its page shows (the count says how many in all).
ACCESS_SHOWN = 50


@login_required
def supervision_home(request: AuthedRequest) -> HttpResponse:
    """Supervisors and shares, and the invitation form (an invitation shares nothing yet:
    sharing a packet asks for the password again)."""
    form = InviteForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        services.supervisor_invite(
            owner=request.user,
            email=email,
            name=form.cleaned_data["name"],
            absolute=request.build_absolute_uri,
        )
        days = settings.SUPERVISION_INVITE_DAYS
        sent = f"Invitation sent to {email}. Its link works once, for {days} days."
        messages.success(request, sent)
        return redirect("journal:supervision")
    user = request.user
    # Each figure from its own table: joining comments and accesses together would count
    # one row per comment for every time the packet was read.
    comments = ShareComment.objects.filter(share=OuterRef("pk")).order_by().values("share")
    views = ShareAccess.objects.filter(share=OuterRef("pk"), action=ShareAccess.Action.VIEW)
    ctx = {
        "form": form,
        "supervisions": Supervision.objects.for_user(user).annotate(shared=Count("shares")),
        "shares": Share.objects.for_user(user)
        .select_related("supervision")
        .defer("document")
        .annotate(
            comment_count=Coalesce(Subquery(comments.annotate(n=Count("pk")).values("n")), 0),
            last_viewed=Subquery(views.order_by("-at").values("at")[:1]),
        ),
        "packets": Packet.objects.for_user(user).only("pk", "title", "updated_at")[:20],
    }
    return render(request, "journal/supervision/home.html", ctx, status=400 if form.errors else 200)


@login_required
@require_POST
def supervisor_end(request: AuthedRequest, pk: int) -> HttpResponse:
    supervision = get_owned_or_404(Supervision, request.user, pk=pk)
    if supervision.revoked_at is None:
        services.supervision_end(supervision=supervision)
        messages.success(
            request,
            f"{supervision.label} can no longer open anything you shared with them.",
        )
    return redirect("journal:supervision")


@login_required
@reauthentication_required
def share_create(request: AuthedRequest, pk: int) -> HttpResponse:
    """Share a packet with one supervisor: what they will read is fixed when it is shared."""
    packet = get_owned_or_404(Packet, request.user, pk=pk)
    supervisions = Supervision.objects.for_user(request.user).filter(revoked_at__isnull=True)
    form = ShareForm(
        request.POST or None, packet=packet, supervisions=supervisions, owner=request.user
    )
    if request.method == "POST" and form.is_valid():
        share = services.share_create(
            packet=packet,
            supervision=form.cleaned_data["supervision"],
            expires_on=form.cleaned_data["expires_on"],
            privacy=form.privacy,
            absolute=request.build_absolute_uri,
        )
        messages.success(request, "Shared. Your supervisor reads it as it is now.")
        return redirect("journal:share_detail", pk=share.pk)
    ctx = {"form": form, "packet": packet, "has_supervisors": supervisions.exists()}
    return render(
        request, "journal/supervision/share_form.html", ctx, status=400 if form.errors else 200
    )


def _owned_share(request: AuthedRequest, pk: int) -> Share:
    return get_owned_or_404(
        Share.objects.select_related("supervision", "owner"), request.user, pk=pk
    )


@login_required
def share_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _share_page(request, _owned_share(request, pk))


def _share_page(
    request: AuthedRequest,
    share: Share,
    commenting: dict[str, Any] | None = None,
    until_form: ShareUntilForm | None = None,
) -> HttpResponse:
    doc = exports.shared_document(share, share.comments.all())
    if commenting is None and share.is_open and not share.signed:
        commenting = {"url": _comment_url(share), "verb": "Reply"}
    accesses = share.accesses.all()
    ctx = {
        "share": share,
        "doc": doc,
        "commenting": commenting,
        "closed_note": closed_note(share),
        "on_screen": True,
        "until_form": until_form
        or ShareUntilForm(initial={"expires_on": share.expires_on}, owner=request.user),
        "accesses": accesses[:ACCESS_SHOWN],
        "access_count": accesses.count(),
        "pdf": pdf_state(share),
    }
    failed = (commenting and commenting.get("error")) or (until_form and until_form.errors)
    status = 400 if failed else 200
    return render(request, "journal/supervision/share_detail.html", ctx, status=status)


def _comment_url(share: Share) -> str:
    return reverse("journal:share_comment", args=[share.pk])


@login_required
@require_POST
def share_comment(request: AuthedRequest, pk: int) -> HttpResponse:
    share = _owned_share(request, pk)
    return comment_post(
        request,
        share,
        back=reverse("journal:share_detail", args=[share.pk]),
        page=lambda commenting: _share_page(
            request, share, {**commenting, "url": _comment_url(share), "verb": "Reply"}
        ),
    )


@login_required
@require_POST
def share_until(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change until when the share can be read (to open an expired one again, say)."""
    share = _owned_share(request, pk)
    form = ShareUntilForm(request.POST, owner=request.user)
    if share.ended:
        messages.error(request, "Access to this packet has ended; share it again instead.")
    elif form.is_valid():
        services.share_expiry_set(share=share, expires_on=form.cleaned_data["expires_on"])
        day = share.expires_on
        until = f"{day.day} {day:%B %Y}" if day else "you end it"
        messages.success(request, f"Readable until {until}.")
    else:
        return _share_page(request, share, until_form=form)
    return redirect("journal:share_detail", pk=share.pk)


@login_required
@require_POST
def share_end(request: AuthedRequest, pk: int) -> HttpResponse:
    share = _owned_share(request, pk)
    if not share.ended:
        services.share_end(share=share)
        messages.success(request, "Access ended. Your supervisor can no longer open this packet.")
    return redirect("journal:share_detail", pk=share.pk)


@login_required
def share_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    share = _owned_share(request, pk)
    return pdf_download(request, share, back=reverse("journal:share_detail", args=[share.pk]))


@login_required
@require_POST
def share_pdf_again(request: AuthedRequest, pk: int) -> HttpResponse:
    """Make the share's PDF again when the worker could not (the Try again button)."""
    share = _owned_share(request, pk)
    pdf = pdf_state(share)
    if pdf is None or pdf.status == JobStatus.FAILED:
        services.pdf_start(share=share)
        messages.success(request, "Preparing the PDF again.")
    return redirect("journal:share_detail", pk=share.pk)
