from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from journal.search import DocumentIndex, document_vector
from journal.versioning import LeanManager, Revision, Versioned, VersionedQuerySet
from reflect.identity import DOMAIN_LABELS
from reflect.models import Prompt, ReflectionTemplate
from reflect.ownership import OwnedQuerySet


def validate_domains(value: Any) -> None:
    """A list of ADDRESSING domain keys, each known."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError("must be a list of ADDRESSING domain names")
    unknown = [v for v in value if v not in DOMAIN_LABELS]
    if unknown:
        raise ValidationError(f"unknown ADDRESSING domain {unknown[0][:40]!r}")


# The longest answer a text field takes; long enough for anything a clinician writes.
TEXT_MAX = 20_000


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


class EntryQuerySet(VersionedQuerySet):
    def client_codes(self, user: Any) -> list[str]:
        codes = self.for_user(user).exclude(client_code="").values_list("client_code", flat=True)
        return sorted(set(codes))


EntryManager = LeanManager.from_queryset(EntryQuerySet)


class Entry(Versioned):
    """A reflection written after a session."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entries"
    )
    session_date = models.DateField("session date", default=timezone.localdate)
    client_code = models.CharField("client code", max_length=12, blank=True)
    session_kind = models.CharField(
        "kind of session", max_length=20, choices=SessionKind.choices, default=SessionKind.ONGOING
    )
    template = models.ForeignKey(
        ReflectionTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField("notes", blank=True, max_length=100_000)
    cultural_moment = models.CharField(
        "did a cultural moment come up?", max_length=10, choices=CulturalMoment.choices, blank=True
    )
    my_response = models.CharField(
        "how I responded", max_length=20, choices=MyResponse.choices, blank=True
    )
    feelings = models.CharField("feelings", max_length=500, blank=True)
    addressing_domains = models.JSONField(
        "ADDRESSING domains at play", default=list, blank=True, validators=[validate_domains]
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="entries")
    bring_to_supervision = models.BooleanField("bring to supervision", default=False)
    status = models.CharField(
        "status", max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    # Everything written in the entry, kept in one column for full-text search.
    search_text = models.TextField(blank=True, editable=False)
    search_vector = document_vector()

    objects = EntryManager()

    class Meta:
        ordering = ("-session_date", "-created_at", "-pk")
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["owner", "-session_date", "-created_at"], name="entry_owner_date"),
            # Backups, imports and snapshots name entries by uid.
            models.Index(fields=["owner", "uid"], name="entry_owner_uid"),
            DocumentIndex(fields=["owner", "search_vector"], name="entry_owner_search"),
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


class AnswerQuerySet(OwnedQuerySet):
    def alive(self) -> AnswerQuerySet:
        """Answers in entries that are not in the trash.

        Tested against the trashed entries (few, behind the ``deleted_at`` index) rather
        than joined to every entry: counting tens of thousands of answers reads no entries."""
        return self.exclude(entry__in=Entry.objects.in_trash().values("pk"))

    def count_by_prompt(self) -> dict[int, int]:
        """How many of these answers each prompt has (prompts without any left out)."""
        return dict(self.order_by().values_list("prompt_id").annotate(n=models.Count("pk")))


class Answer(models.Model):
    """The answer to one prompt, kept per prompt so answers can be compared over time."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="answers")
    # The entry's owner, repeated so per-clinician counts need no join (insights).
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(max_length=TEXT_MAX)
    order = models.PositiveIntegerField(default=0)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ("order", "pk")
        constraints = [
            models.UniqueConstraint(fields=["entry", "prompt"], name="one_answer_per_prompt"),
        ]
        indexes = [
            # Counts by prompt, less the answers in trashed entries, from this index alone.
            models.Index(fields=["owner", "prompt", "entry"], name="answer_owner_prompt_entry"),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.prompt_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.owner_id is None:
            self.owner_id = self.entry.owner_id
        super().save(*args, **kwargs)


class EntryRevision(Revision):
    """A previous state of an entry, kept whenever an entry is changed or restored."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="revisions")

    class Meta(Revision.Meta):
        pass


# --- Repair notes ----------------------------------------------------------------


class Observed(models.TextChoices):
    WITHDRAWAL = "withdrawal", "Withdrawal (moving away)"
    CONFRONTATION = "confrontation", "Confrontation (moving against)"
    UNCLEAR = "unclear", "Unclear"


class MisstepKind(models.TextChoices):
    ASSUMPTION = "assumption", "Assumption"
    MICROINSULT = "microinsult", "Microinsult"
    MICROINVALIDATION = "microinvalidation", "Microinvalidation"
    MISSED_OPPORTUNITY = "missed_opportunity", "Missed opportunity"
    LANGUAGE = "language", "Language"
    STRUCTURAL = "structural", "Structural"
    OTHER = "other", "Other"


class StepState(models.TextChoices):
    NOT_YET = "not_yet", "Not yet"
    PLANNED = "planned", "Planned"
    DONE = "done", "Done"


class RepairStatus(models.TextChoices):
    OPEN = "open", "Open"
    PARTLY = "partly", "Partly repaired"
    REPAIRED = "repaired", "Repaired"
    UNKNOWN = "unknown", "Unknown"


OPEN_REPAIR_STATUSES = (RepairStatus.OPEN, RepairStatus.PARTLY, RepairStatus.UNKNOWN)


class RepairQuerySet(VersionedQuerySet):
    def still_open(self) -> RepairQuerySet:
        return self.filter(status__in=OPEN_REPAIR_STATUSES)

    def due_by(self, day: date) -> RepairQuerySet:
        """Open repairs whose revisit date has come by ``day`` (overdue included)."""
        return self.still_open().filter(revisit_date__lte=day)

    def open_first(self) -> RepairQuerySet:
        return self.annotate(
            closed=models.Case(
                models.When(status__in=OPEN_REPAIR_STATUSES, then=models.Value(0)),
                default=models.Value(1),
            )
        ).order_by("closed", models.F("revisit_date").asc(nulls_last=True), "-moment_date", "-pk")


RepairManager = LeanManager.from_queryset(RepairQuerySet)


class RepairNote(Versioned):
    """After a cultural misstep or rupture: what happened, my part, and the repair steps."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="repair_notes"
    )
    moment_date = models.DateField("date of the moment", default=timezone.localdate)
    client_code = models.CharField("client code", max_length=12, blank=True)
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.SET_NULL, related_name="repair_notes"
    )
    observed = models.CharField(
        "what I observed", max_length=20, choices=Observed.choices, blank=True
    )
    misstep_kind = models.CharField(
        "kind of misstep", max_length=30, choices=MisstepKind.choices, blank=True
    )
    my_part = models.TextField("my part", blank=True, max_length=TEXT_MAX)
    reactions = models.TextField("my reactions", blank=True, max_length=TEXT_MAX)
    acknowledge_step = models.CharField(
        "acknowledge the impact",
        max_length=10,
        choices=StepState.choices,
        default=StepState.NOT_YET,
    )
    acknowledge_text = models.TextField(
        "acknowledging: what I said or will say", blank=True, max_length=TEXT_MAX
    )
    apologise_step = models.CharField(
        "apologise sincerely", max_length=10, choices=StepState.choices, default=StepState.NOT_YET
    )
    apologise_text = models.TextField(
        "apology: what I said or will say", blank=True, max_length=TEXT_MAX
    )
    commit_step = models.CharField(
        "commit to doing better",
        max_length=10,
        choices=StepState.choices,
        default=StepState.NOT_YET,
    )
    commit_text = models.TextField(
        "commitment: what I will do differently", blank=True, max_length=TEXT_MAX
    )
    client_response = models.TextField(
        "the client's response, in paraphrase", blank=True, max_length=TEXT_MAX
    )
    status = models.CharField(
        "status", max_length=10, choices=RepairStatus.choices, default=RepairStatus.OPEN
    )
    revisit_date = models.DateField("revisit on", null=True, blank=True)
    next_step = models.TextField("next step: wording and pitfalls", blank=True, max_length=TEXT_MAX)
    learning = models.TextField("learning or pattern", blank=True, max_length=TEXT_MAX)
    supervision_question = models.TextField(
        "question for supervision", blank=True, max_length=TEXT_MAX
    )
    systemic_factor = models.TextField("systemic factor", blank=True, max_length=TEXT_MAX)
    # Everything written in the note and its follow-ups, for full-text search.
    search_text = models.TextField(blank=True, editable=False)
    search_vector = document_vector()

    objects = RepairManager()

    class Meta:
        ordering = ("-moment_date", "-pk")
        indexes = [
            models.Index(fields=["owner", "status", "revisit_date"], name="repair_owner_due"),
            models.Index(fields=["owner", "uid"], name="repair_owner_uid"),
            DocumentIndex(fields=["owner", "search_vector"], name="repair_owner_search"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["owner", "draft_key"], name="repair_draft_key_unique"),
        ]

    def __str__(self) -> str:
        return f"Repair note of {self.moment_date:%Y-%m-%d}"

    @property
    def title(self) -> str:
        kind = self.get_misstep_kind_display() if self.misstep_kind else "Repair note"
        return f"{kind} · {self.client_code}" if self.client_code else kind

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REPAIR_STATUSES

    def record_status_change(self, old: str, follow_up: RepairFollowUp | None = None) -> None:
        """Keep every status move, so the path of a repair can be seen later."""
        if old != self.status:
            RepairStatusChange.objects.create(
                repair=self, old_status=old, new_status=self.status, follow_up=follow_up
            )


class RepairRevision(Revision):
    repair = models.ForeignKey(RepairNote, on_delete=models.CASCADE, related_name="revisions")

    class Meta(Revision.Meta):
        pass


class RepairFollowUp(models.Model):
    """What happened when I checked in, on a date; it may move the repair's status."""

    repair = models.ForeignKey(RepairNote, on_delete=models.CASCADE, related_name="follow_ups")
    date = models.DateField(default=timezone.localdate)
    note = models.TextField(max_length=TEXT_MAX)
    new_status = models.CharField(max_length=10, choices=RepairStatus.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date", "pk")

    def __str__(self) -> str:
        return f"Follow-up of {self.date:%Y-%m-%d}"


class RepairStatusChange(models.Model):
    repair = models.ForeignKey(RepairNote, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=10, choices=RepairStatus.choices, blank=True)
    new_status = models.CharField(max_length=10, choices=RepairStatus.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    follow_up = models.ForeignKey(
        RepairFollowUp, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("changed_at", "pk")

    def __str__(self) -> str:
        return f"{self.old_status or 'new'} → {self.new_status}"


# --- Commitments ---------------------------------------------------------------


class CommitmentQuerySet(OwnedQuerySet):
    def alive(self) -> CommitmentQuerySet:
        """Commitments whose source is not in the trash.

        Tested against the trashed sources (few, behind the ``deleted_at`` index) rather
        than joined to every source: counting thousands of commitments reads no entries."""
        return self.exclude(entry__in=Entry.objects.in_trash().values("pk")).exclude(
            repair__in=RepairNote.objects.in_trash().values("pk")
        )

    def with_source(self) -> CommitmentQuerySet:
        """With what a list shows of each one's source (its title and date), in one query."""
        return self.select_related("entry__template", "repair").defer(
            "entry__search_text",
            "entry__search_vector",
            "repair__search_text",
            "repair__search_vector",
        )

    def open_for_client(self, user: Any, code: str) -> CommitmentQuerySet:
        """``user``'s commitments not yet done for the client ``code``, from writing that is
        not in the trash, with their source (for its date)."""
        code = code.strip().upper()
        if not code:
            return self.none()
        return (
            self.for_user(user)
            .filter(done_at__isnull=True)
            .filter(models.Q(entry__client_code=code) | models.Q(repair__client_code=code))
            .exclude(entry__deleted_at__isnull=False)
            .exclude(repair__deleted_at__isnull=False)
            .select_related("entry", "repair")
        )


class Commitment(models.Model):
    """Something I said I would do: an entry's "Now what?" or a repair's commitment."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commitments"
    )
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="commitments"
    )
    repair = models.ForeignKey(
        RepairNote, null=True, blank=True, on_delete=models.CASCADE, related_name="commitments"
    )
    prompt = models.ForeignKey(Prompt, null=True, blank=True, on_delete=models.CASCADE)
    text = models.TextField(max_length=TEXT_MAX)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entry__isnull=False) | models.Q(repair__isnull=False),
                name="commitment_has_a_source",
            ),
        ]
        indexes = [
            # The open ones newest first and the done ones latest done first, each read
            # a page at a time from its own index however many there are.
            models.Index(
                fields=["owner", "-created_at", "-id"],
                condition=models.Q(done_at__isnull=True),
                name="commitment_owner_open",
            ),
            models.Index(
                fields=["owner", "-done_at", "-id"],
                condition=models.Q(done_at__isnull=False),
                name="commitment_owner_done",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class EntryAddendum(models.Model):
    """A dated follow-up reflection added to an earlier entry when it resurfaces."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="addenda")
    text = models.TextField(max_length=TEXT_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"Addendum of {self.created_at:%Y-%m-%d}"


# --- Supervision packets and exports -----------------------------------------------


class Packet(models.Model):
    """What a clinician chose to take to supervision, and the cover they wrote for it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="packets"
    )
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=120, default="Supervision packet")
    supervisor_name = models.CharField("my supervisor's name", max_length=150, blank=True)
    purpose = models.CharField(
        "purpose",
        max_length=200,
        blank=True,
        help_text="For example “Monthly clinical supervision” or “Registration portfolio”.",
    )
    period_start = models.DateField("period from", null=True, blank=True)
    period_end = models.DateField("period to", null=True, blank=True)
    entries = models.ManyToManyField(Entry, blank=True, related_name="+")
    repairs = models.ManyToManyField(RepairNote, blank=True, related_name="+")
    include_identity_map = models.BooleanField("include my current identity map", default=False)
    focal_moments = models.TextField("one to three focal moments", blank=True, max_length=TEXT_MAX)
    what_i_tried = models.TextField(
        "what I tried and what happened", blank=True, max_length=TEXT_MAX
    )
    where_stuck = models.TextField("where I am stuck", blank=True, max_length=TEXT_MAX)
    reluctant = models.TextField("what I am reluctant to bring", blank=True, max_length=TEXT_MAX)
    supervisor_dynamics = models.TextField(
        "cultural dynamics between me and my supervisor", blank=True, max_length=TEXT_MAX
    )
    requests = models.TextField(
        "what I would like from supervision", blank=True, max_length=TEXT_MAX
    )
    # Full dates are identifiers too (Safe Harbor): month and year unless the clinician asks.
    month_year_dates = models.BooleanField("show dates as month and year only", default=True)
    pseudonymise_codes = models.BooleanField(
        "replace client codes with Client A, B, …", default=True
    )
    # On by default: a packet leaves the app, and the check's findings should not.
    mask_identifiers = models.BooleanField(
        "hide what looks identifying (names, places, dates, numbers…) behind its kind, "
        "such as [name]",
        default=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ("-updated_at", "-pk")

    def __str__(self) -> str:
        return self.title


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    MARKDOWN = "md", "Markdown"
    HTML = "html", "Web page (HTML)"
    BACKUP = "json", "Full backup (JSON)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting"
    RUNNING = "running", "Preparing"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


ExportStatus = JobStatus


class Job(models.Model):
    """Work done on the background worker, which holds a lease on it while it runs.

    A worker renews ``lease_until`` as it goes; a job whose lease has run out lost its
    worker (killed, out of memory) and is taken up again, or failed after too many tries.
    """

    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)


class ImportJob(Job):
    """A backup file being restored into the owner's account."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imports"
    )
    filename = models.CharField(max_length=200, blank=True)
    # The upload, kept only until the import ends (then emptied).
    content = models.BinaryField(null=True, blank=True, editable=False)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    added = models.JSONField(default=dict, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"Import of {self.created_at:%Y-%m-%d %H:%M}"

    # How each count in ``added`` reads, one and many.
    ADDED_NAMES = {
        "prompts": ("own prompt", "own prompts"),
        "identity map versions": ("identity map version", "identity map versions"),
        "entries": ("entry", "entries"),
        "repairs": ("repair note", "repair notes"),
        "packets": ("packet", "packets"),
        "supervision sessions": ("supervision session", "supervision sessions"),
    }

    def added_lines(self) -> list[str]:
        """What the import added, as a clinician reads it: "1 entry", "3 repair notes"."""
        lines = []
        for key, n in (self.added or {}).items():
            one, many = self.ADDED_NAMES.get(key, (key, key))
            lines.append(f"{n} {one if n == 1 else many}")
        return lines


class ExportRecord(Job):
    """Every export: what, when, in which format. The file itself is kept for a day."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    packet = models.ForeignKey(
        Packet, null=True, blank=True, on_delete=models.SET_NULL, related_name="exports"
    )
    format = models.CharField(max_length=10, choices=ExportFormat.choices)
    description = models.CharField(max_length=200)
    items = models.PositiveIntegerField(default=0)
    filename = models.CharField(max_length=120, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_format_display()} of {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def downloadable(self) -> bool:
        return self.status == ExportStatus.DONE and self.content is not None


# Supervision lives in its own module; imported here so Django registers its models.
from journal.models.supervision import (  # noqa: E402
    Modality,
    Share,
    ShareAccess,
    ShareComment,
    SharePdf,
    Supervision,
    SupervisionSession,
)

__all__ = [
    "Modality",
    "Share",
    "ShareAccess",
    "ShareComment",
    "SharePdf",
    "Supervision",
    "SupervisionSession",
]
