from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from reflect.identity import DOMAIN_LABELS
from reflect.models import Prompt, ReflectionTemplate
from reflect.ownership import OwnedQuerySet


class SessionKind(models.TextChoices):
    INTAKE = "intake", "Intake"
    ONGOING = "ongoing", "Ongoing"
    ENDING = "ending", "Ending"
    CONSULTATION = "consultation", "Consultation"
    OTHER = "other", "Other"


class CulturalMoment(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNSURE = "unsure", "Unsure"


class MyResponse(models.TextChoices):
    EXPLORED = "explored", "Explored it"
    ACKNOWLEDGED = "acknowledged", "Acknowledged it"
    MOVED_ON = "moved_on", "Moved on"
    MISSED = "missed", "Missed it"


class EntryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETE = "complete", "Complete"


class Tag(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=40)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="tag_unique")]

    def __str__(self) -> str:
        return self.name


class EntryQuerySet(OwnedQuerySet):
    def alive(self) -> EntryQuerySet:
        return self.filter(deleted_at__isnull=True)

    def in_trash(self) -> EntryQuerySet:
        return self.filter(deleted_at__isnull=False)

    def client_codes(self, user: Any) -> list[str]:
        codes = self.for_user(user).exclude(client_code="").values_list("client_code", flat=True)
        return sorted(set(codes))


class Entry(models.Model):
    """A reflection written after a session."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entries"
    )
    session_date = models.DateField(default=timezone.localdate)
    client_code = models.CharField(max_length=12, blank=True)
    session_kind = models.CharField(
        max_length=20, choices=SessionKind.choices, default=SessionKind.ONGOING
    )
    template = models.ForeignKey(
        ReflectionTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(blank=True)
    cultural_moment = models.CharField(max_length=10, choices=CulturalMoment.choices, blank=True)
    my_response = models.CharField(max_length=20, choices=MyResponse.choices, blank=True)
    feelings = models.CharField(max_length=500, blank=True)
    addressing_domains = models.JSONField(default=list, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="entries")
    bring_to_supervision = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    # Conflict detection: every save bumps the version; a form carries the one it opened.
    version = models.PositiveIntegerField(default=1)
    # The editing session (one open form) that last saved; its first save keeps a revision.
    edit_session = models.UUIDField(null=True, blank=True, editable=False)
    # Set by the new-entry form so autosave and submit never create two entries.
    draft_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ("-session_date", "-created_at", "-pk")
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["owner", "-session_date", "-created_at"], name="entry_owner_date"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["owner", "draft_key"], name="entry_draft_key_unique"),
        ]

    def __str__(self) -> str:
        return f"Entry of {self.session_date:%Y-%m-%d}"

    @property
    def domain_labels(self) -> list[str]:
        return [DOMAIN_LABELS.get(d, d) for d in self.addressing_domains or []]

    @property
    def title(self) -> str:
        parts = [self.template.name if self.template else "Reflection"]
        if self.client_code:
            parts.append(self.client_code)
        return " · ".join(parts)


class Answer(models.Model):
    """The answer to one prompt, kept per prompt so answers can be compared over time."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="answers")
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("order", "pk")
        constraints = [
            models.UniqueConstraint(fields=["entry", "prompt"], name="one_answer_per_prompt"),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.prompt_id}"


class EntryRevision(models.Model):
    """A previous state of an entry, kept whenever an entry is changed or restored."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-version", "-pk")

    def __str__(self) -> str:
        return f"Version {self.version}"
