"""Supervision: inviting a supervisor, sharing a packet, comments, sign-off, the access log.

Each function is one change, in one transaction; emails go out once it is committed and
say only what happened, with a link: never what anyone wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from journal import exports
from journal.models import (
    JobStatus,
    Packet,
    Share,
    ShareAccess,
    ShareComment,
    SharePdf,
    Supervision,
)
from journal.models.supervision import token_digest
from reflect import activity, emails
from reflect.models import SecurityEvent, User

Kind = SecurityEvent.Kind
# Turns a path into a full address for an email (``request.build_absolute_uri``).
Absolute = Callable[[str], str]


def supervisor_email(supervision: Supervision) -> str | None:
    """Where a supervisor who has accepted is told things: their account's address now
    (it may have changed since the invitation); None before they accept or once ended."""
    if supervision.status != Supervision.Status.ACCEPTED or supervision.supervisor is None:
        return None
    return str(supervision.supervisor.email)


def _later(name: str, to: str, context: dict[str, Any]) -> None:
    transaction.on_commit(lambda: emails.send(name, to, context))


# --- Supervisors ------------------------------------------------------------------------


def supervisor_invite(*, owner: User, email: str, name: str, absolute: Absolute) -> Supervision:
    """Invite ``email`` to supervise ``owner``: a new single-use link, sent by email.

    Inviting an address again (its link expired or lost) sends a new link and voids the old.
    """
    with transaction.atomic():
        # Lock the clinician's row: two invitations to one address at once make one.
        User.objects.select_for_update().filter(pk=owner.pk).first()
        supervision = (
            Supervision.objects.for_user(owner)
            .filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True)
            .first()
        ) or Supervision(owner=owner, email=email)
        supervision.name = name or supervision.name
        supervision.invited_at = timezone.now()
        token = supervision.new_token()
        supervision.save()
        activity.record(owner, Kind.SUPERVISOR_INVITED, detail=email)
        _later(
            "supervision_invite",
            email,
            {
                "clinician": owner.shown_name,
                "clinician_email": owner.email,
                "link": absolute(reverse("journal:invitation", args=[token])),
                "expires": supervision.expires_at,
            },
        )
    return supervision


def accepted_by(token: str, user: User) -> Supervision | None:
    """The invitation this link was, if ``user`` accepted it and still supervises."""
    return Supervision.objects.supervised_by(user).filter(token_hash=token_digest(token)).first()


def invitation_for(token: str) -> Supervision | None:
    """The pending invitation this link names, or None (used, expired, ended, unknown)."""
    found = (
        Supervision.objects.select_related("owner")
        .filter(
            token_hash=token_digest(token),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    return found


def supervision_accept(*, supervision: Supervision, user: User, absolute: Absolute) -> None:
    with transaction.atomic():
        # The link works once: accepted, it no longer opens an invitation (its digest stays,
        # so the same link can send its supervisor to what is shared with them). A second
        # press finds it accepted already and does nothing.
        accepted = Supervision.objects.filter(
            pk=supervision.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(
            supervisor=user,
            accepted_at=timezone.now(),
            # The name the clinician gave stays; else the one the supervisor gives themself.
            name=supervision.name or user.display_name or user.get_full_name(),
        )
        if not accepted:
            return
        supervision.refresh_from_db()
        activity.record(supervision.owner, Kind.SUPERVISOR_ACCEPTED, detail=user.email)
        _later(
            "supervision_accepted",
            supervision.owner.email,
            {"supervisor": supervision.label, "link": absolute(reverse("journal:supervision"))},
        )


def supervision_end(*, supervision: Supervision) -> None:
    """End a supervisor's access to everything shared with them (or cancel the invitation)."""
    with transaction.atomic():
        supervision.revoked_at = timezone.now()
        supervision.token_hash = None
        supervision.save(update_fields=["revoked_at", "token_hash"])
        activity.record(supervision.owner, Kind.SUPERVISOR_ENDED, detail=supervision.email)


# --- Shares -----------------------------------------------------------------------------


def share_create(
    *,
    packet: Packet,
    supervision: Supervision,
    expires_on: date | None,
    privacy: dict[str, bool],
    absolute: Absolute,
) -> Share:
    """Share a fixed snapshot of ``packet`` with one supervisor, with the ``privacy`` options
    chosen for this share (the packet keeps its own).

    Its PDF is made on the worker; the supervisor is told by email once they have accepted.
    """
    for name, value in privacy.items():
        setattr(packet, name, value)  # for this document only: the packet is not saved
    doc = exports.build_document(packet)
    with transaction.atomic():
        share = Share(
            owner=packet.owner,
            supervision=supervision,
            packet=packet,
            title=packet.title,
            document=doc.snapshot(),
            items=len(doc.items),
        )
        share.readable_until(expires_on)
        share.save()
        pdf_start(share=share)
        activity.record(packet.owner, Kind.SHARED, detail=supervision.email)
        if (to := supervisor_email(supervision)) is not None:
            _later(
                "supervision_shared",
                to,
                {
                    "clinician": packet.owner.shown_name,
                    "link": absolute(reverse("journal:supervising_share", args=[share.uid])),
                },
            )
    return share


def share_expiry_set(*, share: Share, expires_on: date | None) -> None:
    share.readable_until(expires_on)
    share.save(update_fields=["expires_on", "expires_at"])


def share_end(*, share: Share) -> None:
    with transaction.atomic():
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
        activity.record(share.owner, Kind.SHARE_ENDED, detail=share.supervision.email)


def pdf_start(*, share: Share) -> SharePdf:
    """Queue the share's PDF (as shared, or signed once it is signed off)."""
    from journal import tasks

    pdfs = share.pdfs.filter(signed=share.signed)
    waiting = pdfs.filter(status=JobStatus.QUEUED).first()
    if waiting is not None:
        return waiting  # it reads the comments when it runs
    # The one it replaces goes (a PDF of every comment would pile up), unless still running.
    pdfs.filter(status__in=(JobStatus.DONE, JobStatus.FAILED)).delete()
    pdf = SharePdf.objects.create(share=share, signed=share.signed)
    tasks.share_pdf.enqueue(pdf.pk)
    return pdf


def access_record(*, share: Share, user: User, action: str) -> None:
    """Note that the supervisor opened (or downloaded, commented on, signed) the share,
    in the share's access log and in the clinician's security activity."""
    ShareAccess.objects.create(share=share, user=user, who=user.email, action=action)
    kind = {
        ShareAccess.Action.VIEW: Kind.SHARE_VIEWED,
        ShareAccess.Action.DOWNLOAD: Kind.SHARE_DOWNLOADED,
    }.get(ShareAccess.Action(action))
    if kind:
        shared = timezone.localtime(share.created_at, share.owner.tzinfo)
        detail = f"{user.email} · shared {shared.day} {shared:%b %Y}"
        # No device: the list is for spotting the clinician's own unknown devices.
        activity.record(share.owner, kind, detail=detail)


# A second press of the same button within this time is the same comment.
RESUBMIT = timedelta(minutes=2)


class Closed(Exception):
    """The share is signed off (or no longer open): nothing more can be added to it."""


def comment_add(
    *, share: Share, author: User, anchor: str, body: str, absolute: Absolute
) -> ShareComment:
    by_supervisor = author.pk != share.owner_id
    with transaction.atomic():
        # Lock the share: a comment and a sign-off cannot cross.
        locked = Share.objects.select_for_update().select_related("supervision").get(pk=share.pk)
        if locked.signed_at is not None:
            raise Closed("This packet is signed off; its comments are kept as they were.")
        if not locked.is_open:
            raise Closed("This packet is no longer shared: comments are closed.")
        # The same words from the same person a moment ago: a second press, not a second
        # comment (one comment, one email, one PDF).
        again = share.comments.filter(
            author=author, anchor=anchor, body=body, created_at__gte=timezone.now() - RESUBMIT
        ).first()
        if again is not None:
            return again
        comment = ShareComment.objects.create(
            share=share,
            anchor=anchor,
            author=author,
            author_name=author.shown_name,
            by_supervisor=by_supervisor,
            body=body,
        )
        pdf_start(share=share)  # the PDF carries the comments so far
        context = {"author": comment.author_name}
        if by_supervisor:
            access_record(share=share, user=author, action=ShareAccess.Action.COMMENT)
            link = reverse("journal:share_detail", args=[share.pk])
            _later("supervision_comment", share.owner.email, {**context, "link": absolute(link)})
        elif (to := supervisor_email(locked.supervision)) is not None:
            # Only a supervisor who can open the share is told about it.
            link = reverse("journal:supervising_share", args=[share.uid])
            _later("supervision_comment", to, {**context, "link": absolute(link)})
    return comment


def share_sign_off(*, share: Share, user: User, absolute: Absolute) -> None:
    """Record the sign-off the form filled in on ``share``; comments are closed from now."""
    with transaction.atomic():
        locked = Share.objects.select_for_update().select_related("supervision").get(pk=share.pk)
        if locked.signed_at is not None:
            raise Closed("This packet is already signed off.")
        if not locked.is_open:
            raise Closed("This packet is no longer shared with you: it cannot be signed off.")
        share.signed_at = timezone.now()
        share.signed_by = user
        share.save(update_fields=["signed_at", "signed_by", *Share.SIGN_FIELDS])
        pdf_start(share=share)
        access_record(share=share, user=user, action=ShareAccess.Action.SIGN_OFF)
        _later(
            "supervision_signed",
            share.owner.email,
            {
                "supervisor": share.sign_name,
                "link": absolute(reverse("journal:share_detail", args=[share.pk])),
            },
        )
