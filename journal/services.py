"""Writes to entries. Each runs in one transaction: a save never half-happens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from journal.forms import EntryForm
from journal.models import Answer, Entry, EntryRevision, EntryStatus, Tag
from reflect.models import Prompt, ReflectionTemplate, User

# Fields copied between an entry, its form and its revisions.
SCALAR_FIELDS = (
    "session_date",
    "client_code",
    "session_kind",
    "body",
    "cultural_moment",
    "my_response",
    "feelings",
    "addressing_domains",
    "bring_to_supervision",
    "status",
)


class Conflict(Exception):
    """The entry changed since this form was opened (another tab or device)."""

    def __init__(self, entry: Entry) -> None:
        super().__init__("entry changed since the form was opened")
        self.entry = entry


@dataclass
class SaveResult:
    entry: Entry
    created: bool = False
    skipped: list[str] = field(default_factory=list)


def entry_snapshot(entry: Entry) -> dict[str, Any]:
    """Everything a clinician wrote in an entry, as plain data."""
    data: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        value = getattr(entry, name)
        data[name] = value.isoformat() if name == "session_date" else value
    data["template"] = entry.template.slug if entry.template else None
    data["tags"] = sorted(t.name for t in entry.tags.all())
    data["answers"] = [
        {"prompt": a.prompt_id, "prompt_text": a.prompt.text, "text": a.text}
        for a in entry.answers.select_related("prompt").order_by("order", "pk")
    ]
    return data


def _keep_revision(entry: Entry) -> None:
    EntryRevision.objects.create(entry=entry, version=entry.version, snapshot=entry_snapshot(entry))


def _set_tags(entry: Entry, names: list[str]) -> None:
    existing = {t.name: t for t in Tag.objects.for_user(entry.owner).filter(name__in=names)}
    missing = [Tag(owner=entry.owner, name=n) for n in names if n not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.for_user(entry.owner).filter(name__in=names)}
    entry.tags.set([existing[n] for n in names])


def _set_answers(entry: Entry, answers: dict[int, str]) -> None:
    keep = {pid: text for pid, text in answers.items() if text.strip()}
    entry.answers.exclude(prompt_id__in=keep).delete()
    current = {a.prompt_id: a for a in entry.answers.all()}
    order = (
        {item.prompt_id: item.order for item in entry.template.items.all()}
        if (entry.template)
        else {}
    )
    for prompt_id, text in keep.items():
        answer = current.get(prompt_id)
        if answer is None:
            Answer.objects.create(
                entry=entry, prompt_id=prompt_id, text=text, order=order.get(prompt_id, 999)
            )
        elif answer.text != text:
            answer.text = text
            answer.save(update_fields=["text"])


@transaction.atomic
def entry_save(
    *,
    user: User,
    form: EntryForm,
    entry: Entry | None,
    template: ReflectionTemplate | None = None,
    autosave: bool = False,
) -> SaveResult:
    """Save an entry from its form; for autosave, whatever parts of it are valid.

    Raises Conflict when the entry changed since the form was opened, unless the
    change came from this same open form (its own earlier autosave).
    The first save from each open form keeps the previous state as a revision.
    """
    cd = form.cleaned_data
    created = False
    if entry is None:
        # The new-entry form's key: an autosave racing the submit of the same form
        # finds the entry the other created instead of making a second one.
        entry, created = Entry.objects.get_or_create(
            owner=user,
            draft_key=cd.get("draft_key") or uuid.uuid4(),
            defaults={
                "template": template,
                "status": EntryStatus.DRAFT,
                "edit_session": cd.get("edit_session"),
            },
        )
    if not created:
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        same_form = entry.edit_session is not None and entry.edit_session == cd.get("edit_session")
        if not same_form and cd.get("version") != entry.version:
            raise Conflict(entry)
        if not same_form:
            _keep_revision(entry)
        entry.version += 1

    skipped = sorted(n for n in form.errors if n != "__all__")
    for name in SCALAR_FIELDS:
        if name in cd and not (autosave and name == "status" and not created):
            setattr(entry, name, cd[name])
    if autosave and created:
        entry.status = EntryStatus.DRAFT
    entry.edit_session = cd.get("edit_session")
    entry.save()
    if "tags" in cd:
        _set_tags(entry, cd["tags"])
    _set_answers(entry, form.answers())
    return SaveResult(entry=entry, created=created, skipped=skipped)


@transaction.atomic
def entry_restore_revision(*, entry: Entry, revision: EntryRevision) -> Entry:
    """Bring back an old version. The current state is kept first, so nothing is lost."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    _keep_revision(entry)
    data = revision.snapshot
    for name in SCALAR_FIELDS:
        value = data.get(name, getattr(entry, name))
        setattr(entry, name, value)
    entry.version += 1
    entry.edit_session = None
    entry.save()
    _set_tags(entry, data.get("tags", []))
    prompts = set(
        Prompt.objects.filter(pk__in=[a["prompt"] for a in data.get("answers", [])]).values_list(
            "pk", flat=True
        )
    )
    _set_answers(entry, {a["prompt"]: a["text"] for a in data["answers"] if a["prompt"] in prompts})
    entry.refresh_from_db()
    return entry


def entry_trash(*, entry: Entry) -> None:
    entry.deleted_at = timezone.now()
    entry.save(update_fields=["deleted_at"])


def entry_untrash(*, entry: Entry) -> None:
    entry.deleted_at = None
    entry.save(update_fields=["deleted_at"])


@transaction.atomic
def trash_purge(*, days: int, now: Any = None) -> int:
    """Delete for good what has been in the trash longer than ``days``. Returns the count."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    doomed = Entry.objects.filter(deleted_at__lt=cutoff)
    count = doomed.count()
    doomed.delete()  # answers and revisions go with their entry
    return count
