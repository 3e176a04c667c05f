"""Supervision: a clinician's supervisors, what is shared with them, and the hours log.

A clinician invites a supervisor by email (``Supervision``); the supervisor accepts with
a single-use link. A ``Share`` is a fixed snapshot of one packet, privacy options applied,
that one supervisor may read until it expires or is revoked; ``ShareComment`` and the
sign-off live on it, and ``ShareAccess`` records every time the supervisor opened it.
``SupervisionSession`` is the clinician's log of supervision hours.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from journal.models import TEXT_MAX, Job, Packet
from reflect.ownership import OwnedQuerySet


def end_of_day(day: date, zone: Any) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def token_digest(token: str) -> str:
    """What is stored of an invitation's token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


class SupervisionQuerySet(OwnedQuerySet):
    def accepted(self) -> SupervisionQuerySet:
        return self.filter(accepted_at__isnull=False, revoked_at__isnull=True)

    def supervised_by(self, user: Any) -> SupervisionQuerySet:
        """The clinicians ``user`` supervises now (accepted, not revoked)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.accepted().filter(supervisor=user)


class Supervision(models.Model):
    """One supervisor of one clinician: invited, then accepted, until revoked."""

    class Status(models.TextChoices):
        PENDING = "pending", "Invited"
        ACCEPTED = "accepted", "Accepted"
        EXPIRED = "expired", "Invitation expired"
        REVOKED = "revoked", "Access ended"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervisions"
    )
    email = models.EmailField("supervisor's email")
    name = models.CharField("supervisor's name", max_length=150, blank=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # A supervisor who deletes their account leaves the clinician's shares and comments.
        on_delete=models.SET_NULL,
        related_name="supervising",
    )
    # The invitation link's token, hashed; emptied once it is used (single use).
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    invited_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        ordering = ("-invited_at", "-pk")

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def status(self) -> str:
        if self.revoked_at:
            return self.Status.REVOKED
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def label(self) -> str:
        """How the clinician reads this supervisor: "Dr Sam Lee (sam@example.org)"."""
        return f"{self.name} ({self.email})" if self.name else self.email

    def new_token(self) -> str:
        """A fresh single-use token for the invitation link (only its digest is kept)."""
        token = secrets.token_urlsafe(32)
        self.token_hash = token_digest(token)
        self.expires_at = timezone.now() + timedelta(days=settings.SUPERVISION_INVITE_DAYS)
        return token


class ShareQuerySet(OwnedQuerySet):
    def open(self) -> ShareQuerySet:
        """Shares a supervisor may still read: not revoked, not past their last day."""
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )

    def for_supervisor(self, user: Any) -> ShareQuerySet:
        """What ``user`` may read as a supervisor: open shares of an accepted supervision."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.open().filter(
            supervision__supervisor=user,
            supervision__accepted_at__isnull=False,
            supervision__revoked_at__isnull=True,
        )


class Share(models.Model):
    """A packet as it was shared with one supervisor: a fixed snapshot, never edited.

    ``document`` holds the packet's document with its privacy options applied when it was
    shared; editing the entries later changes nothing here. A new share is a new snapshot.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shares"
    )
    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="shares")
    packet = models.ForeignKey(
        Packet, null=True, blank=True, on_delete=models.SET_NULL, related_name="shares"
    )
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    title = models.CharField(max_length=120)
    document = models.JSONField(editable=False)
    items = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(
        "readable until",
        null=True,
        blank=True,
        help_text="Leave empty to share until you end it.",
    )
    # When the chosen day ends where the clinician is (whoever asks, wherever they are).
    expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The supervisor's sign-off: once signed, the share and its comments are kept unchanged.
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sign_name = models.CharField("supervisor's name", max_length=150, blank=True)
    sign_credential = models.CharField("credential", max_length=150, blank=True)
    sign_registration = models.CharField("registration number", max_length=80, blank=True)
    sign_date = models.DateField("date", null=True, blank=True)
    sign_statement = models.TextField("statement", blank=True, max_length=2000)
    sign_comment = models.TextField("overall comment", blank=True, max_length=TEXT_MAX)

    objects = ShareQuerySet.as_manager()

    # What the supervisor fills in to sign off (their form, the save, the signed PDF).
    SIGN_FIELDS = (
        "sign_name", "sign_credential", "sign_registration", "sign_date", "sign_statement",
        "sign_comment",
    )  # fmt: skip

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.title

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def ended(self) -> bool:
        """Access ended: to this share, or to everything shared with its supervisor."""
        return self.revoked_at is not None or self.supervision.revoked_at is not None

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def readable_until(self, day: date | None) -> None:
        """Readable to the end of ``day`` in the clinician's time zone (None: until ended)."""
        self.expires_on = day
        self.expires_at = end_of_day(day, self.owner.tzinfo) if day else None

    @property
    def is_open(self) -> bool:
        """Readable by its supervisor (once they accept): not ended, not past its date."""
        return not self.ended and not self.expired

    @property
    def state(self) -> str:
        """One short phrase for lists: "Open", "Signed off", "Expired", "Access ended"."""
        if self.ended:
            return "Access ended"
        if self.expired:
            return "Expired"
        return "Signed off" if self.signed else "Open"


class ShareComment(models.Model):
    """A comment on a shared packet (``anchor`` empty) or on one item in it."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="comments")
    anchor = models.CharField(max_length=40, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as written at the time, so the thread reads the same if an account goes.
    author_name = models.CharField(max_length=150)
    by_supervisor = models.BooleanField(default=False)
    body = models.TextField("comment", max_length=TEXT_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"Comment of {self.created_at:%Y-%m-%d %H:%M}"


class ShareAccess(models.Model):
    """Each time a supervisor opened or downloaded a share: who, when, what."""

    class Action(models.TextChoices):
        VIEW = "view", "Read the packet"
        DOWNLOAD = "download", "Downloaded the PDF"
        COMMENT = "comment", "Commented"
        SIGN_OFF = "sign_off", "Signed off"

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    who = models.CharField(max_length=254)
    action = models.CharField(max_length=10, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"


class SharePdf(Job):
    """A share's PDF, made on the worker: as shared, then again once it is signed off."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="pdfs")
    signed = models.BooleanField(default=False)
    content = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"PDF of share {self.share_id}"


class Modality(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    GROUP = "group", "Group"
    LIVE = "live", "Live observation"


class SupervisionSession(models.Model):
    """One supervision session in the clinician's log of hours."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervision_sessions"
    )
    # Names the session in a backup, so importing the same file twice adds it once.
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    date = models.DateField(default=date.today)
    minutes = models.PositiveSmallIntegerField(
        "duration in minutes", validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    modality = models.CharField(
        max_length=12, choices=Modality.choices, default=Modality.INDIVIDUAL
    )
    supervisor_name = models.CharField(
        "supervisor",
        max_length=150,
        blank=True,
        help_text="Who supervised, as it should appear on the log.",
    )
    topics = models.TextField("topics", blank=True, max_length=2000)
    packets = models.ManyToManyField(
        Packet, blank=True, related_name="supervision_sessions", verbose_name="packets discussed"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # In the trash from this moment (a deleted session can be put back).
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ("-date", "-pk")
        indexes = [models.Index(fields=["owner", "date"], name="supervision_session_owner_date")]

    def __str__(self) -> str:
        return f"Supervision of {self.date:%Y-%m-%d}"

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)
