"""Writes to entries, on top of the shared versioning in journal/versioning.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from journal.forms import EntryForm, FollowUpForm, RepairForm
from journal.models import (
    Answer,
    Commitment,
    Entry,
    EntryAddendum,
    EntryRevision,
    EntryStatus,
    ExportRecord,
    ExportStatus,
    Packet,
    RepairFollowUp,
    RepairNote,
    RepairRevision,
    RepairStatus,
    RepairStatusChange,
    Tag,
)
from journal.versioning import (
    SaveResult,
    versioned_purge,
    versioned_restore,
    versioned_save,
)
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


def _acknowledge(obj: Entry | RepairNote, keys: list[str] | None) -> None:
    """Remember identifiers the clinician chose to keep, so this version is not flagged again."""
    if keys:
        obj.identifiers_ok = sorted(set(obj.identifiers_ok or []) | set(keys))


def entry_index(entry: Entry) -> None:
    """Refresh the entry's search text from what is saved now."""
    answers = list(entry.answers.order_by("order", "pk").values_list("text", flat=True))
    tags = sorted(entry.tags.values_list("name", flat=True))
    text = entry.compose_search_text(answers, tags)
    Entry.objects.filter(pk=entry.pk).update(search_text=text)
    entry.search_text = text


def repair_index(repair: RepairNote) -> None:
    notes = list(repair.follow_ups.values_list("note", flat=True))
    text = repair.compose_search_text(notes)
    RepairNote.objects.filter(pk=repair.pk).update(search_text=text)
    repair.search_text = text


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
    order = {}
    if entry.template:
        order = {item.prompt_id: item.order for item in entry.template.items.all()}
    for prompt_id, text in keep.items():
        answer = current.get(prompt_id)
        if answer is None:
            Answer.objects.create(
                entry=entry, prompt_id=prompt_id, text=text, order=order.get(prompt_id, 999)
            )
        elif answer.text != text:
            answer.text = text
            answer.save(update_fields=["text"])


def entry_save(
    *,
    user: User,
    form: EntryForm,
    entry: Entry | None,
    template: ReflectionTemplate | None = None,
    autosave: bool = False,
    acknowledged: list[str] | None = None,
) -> SaveResult:
    """Save an entry from its form; for autosave, whatever parts of it are valid.

    Raises Conflict when the entry changed since the form was opened.
    """
    cd = form.cleaned_data

    def write(obj: Entry, created: bool) -> None:
        for name in SCALAR_FIELDS:
            # Autosave never completes or reopens an entry; only the Save button does.
            if name in cd and not (autosave and name == "status"):
                setattr(obj, name, cd[name])
        _acknowledge(obj, acknowledged)
        obj.save()
        if "tags" in cd:
            _set_tags(obj, cd["tags"])
        _set_answers(obj, form.answers())
        commitments_sync_entry(obj)
        entry_index(obj)

    result = versioned_save(
        user=user,
        model=Entry,
        obj=entry,
        cd=cd,
        defaults={"template": template, "status": EntryStatus.DRAFT},
        snapshot=entry_snapshot,
        write=write,
    )
    result.skipped = sorted(n for n in form.errors if n != "__all__")
    return result


def _apply_snapshot(entry: Entry, data: dict[str, Any]) -> None:
    for name in SCALAR_FIELDS:
        setattr(entry, name, data.get(name, getattr(entry, name)))
    entry.save()
    _set_tags(entry, data.get("tags", []))
    answers = data.get("answers", [])
    known = set(
        Prompt.objects.filter(pk__in=[a["prompt"] for a in answers]).values_list("pk", flat=True)
    )
    _set_answers(entry, {a["prompt"]: a["text"] for a in answers if a["prompt"] in known})
    commitments_sync_entry(entry)
    entry_index(entry)


def entry_restore_revision(*, entry: Entry, revision: EntryRevision) -> Entry:
    return versioned_restore(
        obj=entry, revision=revision, snapshot=entry_snapshot, apply=_apply_snapshot
    )


@transaction.atomic
def trash_purge(*, days: int, now: Any = None) -> dict[str, int]:
    """Delete for good the entries and repair notes in the trash longer than ``days``."""
    return {
        "entries": versioned_purge(model=Entry, days=days, now=now),
        "repair_notes": versioned_purge(model=RepairNote, days=days, now=now),
    }


# --- Repair notes ------------------------------------------------------------------

REPAIR_FIELDS = (
    "moment_date", "client_code", "observed", "misstep_kind", "my_part", "reactions",
    "acknowledge_step", "acknowledge_text", "apologise_step", "apologise_text", "commit_step",
    "commit_text", "client_response", "status", "revisit_date", "next_step", "learning",
    "supervision_question", "systemic_factor",
)  # fmt: skip
DATE_FIELDS = {"moment_date", "revisit_date"}


def repair_snapshot(repair: RepairNote) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in REPAIR_FIELDS:
        value = getattr(repair, name)
        data[name] = value.isoformat() if name in DATE_FIELDS and value else value
    data["entry"] = repair.entry_id
    return data


def _record_status(repair: RepairNote, old: str, follow_up: RepairFollowUp | None = None) -> None:
    if old != repair.status:
        RepairStatusChange.objects.create(
            repair=repair, old_status=old, new_status=repair.status, follow_up=follow_up
        )


def repair_save(
    *,
    user: User,
    form: RepairForm,
    repair: RepairNote | None,
    autosave: bool = False,
    acknowledged: list[str] | None = None,
) -> SaveResult:
    cd = form.cleaned_data

    def write(obj: RepairNote, created: bool) -> None:
        old_status = "" if created else obj.status
        for name in REPAIR_FIELDS:
            # Status moves only by the Save button or a follow-up, never by autosave.
            if name in cd and not (autosave and name == "status"):
                setattr(obj, name, cd[name])
        if "entry" in cd:
            obj.entry = cd["entry"]
        _acknowledge(obj, acknowledged)
        obj.save()
        _record_status(obj, old_status)
        commitments_sync_repair(obj)
        repair_index(obj)

    result = versioned_save(
        user=user,
        model=RepairNote,
        obj=repair,
        cd=cd,
        defaults={"status": RepairStatus.OPEN},
        snapshot=repair_snapshot,
        write=write,
    )
    result.skipped = sorted(n for n in form.errors if n != "__all__")
    return result


def _apply_repair_snapshot(repair: RepairNote, data: dict[str, Any]) -> None:
    old_status = repair.status
    for name in REPAIR_FIELDS:
        if name in data:
            setattr(repair, name, data[name])
    repair.save()
    repair.refresh_from_db()  # dates back from strings
    _record_status(repair, old_status)
    commitments_sync_repair(repair)
    repair_index(repair)


def repair_restore_revision(*, repair: RepairNote, revision: RepairRevision) -> RepairNote:
    return versioned_restore(
        obj=repair, revision=revision, snapshot=repair_snapshot, apply=_apply_repair_snapshot
    )


@transaction.atomic
def follow_up_add(*, repair: RepairNote, form: FollowUpForm) -> RepairFollowUp:
    """A dated check-in; when it names a new status, the repair moves and the move is kept."""
    repair = RepairNote.objects.select_for_update().get(pk=repair.pk)
    follow_up: RepairFollowUp = form.save(commit=False)
    follow_up.repair = repair
    follow_up.save()
    if follow_up.new_status and follow_up.new_status != repair.status:
        old = repair.status
        repair.status = follow_up.new_status
        repair.version += 1
        repair.edit_session = None  # an open edit form must not silently undo this
        repair.save(update_fields=["status", "version", "edit_session", "updated_at"])
        _record_status(repair, old, follow_up)
    repair_index(repair)
    return follow_up


# --- Commitments -------------------------------------------------------------------

COMMITMENT_SECTION = "Now what?"


def _sync(qs: Any, wanted: dict[Any, str], make: Any) -> None:
    """Make the commitments of one source match ``wanted`` (key -> text).

    Done commitments are history: they are never deleted here, only their text kept.
    """
    existing = {c.prompt_id: c for c in qs}
    for key, text in wanted.items():
        current = existing.get(key)
        if current is None:
            make(key, text)
        elif current.text != text:
            current.text = text
            current.save(update_fields=["text"])
    stale = [c.pk for key, c in existing.items() if key not in wanted and c.done_at is None]
    if stale:
        Commitment.objects.filter(pk__in=stale).delete()


def commitments_sync_entry(entry: Entry) -> None:
    """An entry's answers in its template's "Now what?" section are commitments."""
    wanted: dict[Any, str] = {}
    if entry.template is not None:
        now_what = set(
            entry.template.items.filter(section=COMMITMENT_SECTION).values_list(
                "prompt_id", flat=True
            )
        )
        wanted = {
            a.prompt_id: a.text.strip()
            for a in entry.answers.all()
            if a.prompt_id in now_what and a.text.strip()
        }
    _sync(
        entry.commitments.all(),
        wanted,
        lambda key, text: Commitment.objects.create(
            owner=entry.owner, entry=entry, prompt_id=key, text=text
        ),
    )


def commitments_sync_repair(repair: RepairNote) -> None:
    text = repair.commit_text.strip()
    wanted: dict[Any, str] = {None: text} if text else {}
    _sync(
        repair.commitments.all(),
        wanted,
        lambda key, text: Commitment.objects.create(owner=repair.owner, repair=repair, text=text),
    )


def commitment_mark(*, commitment: Commitment, done: bool) -> None:
    commitment.done_at = timezone.now() if done else None
    commitment.save(update_fields=["done_at"])


def addendum_add(*, entry: Entry, text: str) -> EntryAddendum:
    """A dated follow-up reflection on an earlier entry; the entry itself is unchanged."""
    return EntryAddendum.objects.create(entry=entry, text=text)


# --- Exports -----------------------------------------------------------------------

# More items than this and the export runs in the background with a progress page.
BACKGROUND_ITEMS = 40


def export_start(*, packet: Packet, fmt: str) -> ExportRecord:
    """Record the export and either make the file now or queue it for the worker."""
    from journal.tasks import export_packet

    items = (
        packet.entries.filter(deleted_at__isnull=True).count()
        + packet.repairs.filter(deleted_at__isnull=True).count()
    )
    record = ExportRecord.objects.create(
        owner=packet.owner,
        packet=packet,
        format=fmt,
        items=items,
        description=f"{packet.title} ({items} item{'s' if items != 1 else ''})",
    )
    if items > BACKGROUND_ITEMS:
        transaction.on_commit(lambda: export_packet.enqueue(record.pk))
    else:
        export_run(record_id=record.pk)
        record.refresh_from_db()
    return record


def export_run(*, record_id: int) -> None:
    """Make the file for an export record, reporting progress as it goes."""
    from journal import exports

    record = ExportRecord.objects.select_related("packet").get(pk=record_id)
    if record.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING) or record.packet is None:
        return
    ExportRecord.objects.filter(pk=record.pk).update(status=ExportStatus.RUNNING, progress=10)
    try:
        doc = exports.build_document(record.packet)
        ExportRecord.objects.filter(pk=record.pk).update(progress=40)
        content = exports.render(doc, record.format)
    except exports.RenderError as exc:
        ExportRecord.objects.filter(pk=record.pk).update(
            status=ExportStatus.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        return
    now = timezone.now()
    ExportRecord.objects.filter(pk=record.pk).update(
        status=ExportStatus.DONE,
        progress=100,
        content=content,
        content_type=exports.RENDERERS[record.format][0],
        filename=exports.filename_for(record.packet.title, record.format, timezone.localdate()),
        finished_at=now,
        expires_at=now + timedelta(hours=settings.EXPORT_KEEP_HOURS),
    )


def exports_purge(*, now: Any = None) -> int:
    """Drop the files of exports past their time; the record of the export stays."""
    now = now or timezone.now()
    return ExportRecord.objects.filter(expires_at__lt=now, content__isnull=False).update(
        content=None, status=ExportStatus.EXPIRED
    )
