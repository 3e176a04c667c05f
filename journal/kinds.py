"""The kinds of versioned writing, each described once (see ``journal/versioning.py``).

Adding a text field to entries means adding it to the model (one migration) and to
``ENTRY.fields`` (and ``ENTRY.texts`` if it holds writing): the form, snapshots,
restore, history, search, backup, import, export and the identifier check all read it
from here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from journal.forms import EntryForm, RepairForm, clean_tag_names
from journal.models import (
    TEXT_MAX,
    Answer,
    Entry,
    EntryAddendum,
    EntryRevision,
    EntryStatus,
    RepairFollowUp,
    RepairNote,
    RepairRevision,
    RepairStatus,
    RepairStatusChange,
    Tag,
)
from journal.services.commitments import commitments_sync_entry, commitments_sync_repair
from journal.versioning import Child, Refs, Relation, VersionedKind
from reflect.models import Prompt

# --- An entry's answers to its prompts ----------------------------------------------------


def _answers_dump(entry: Entry) -> list[dict[str, Any]]:
    if not entry.pk:
        return []
    # .all() so that a caller's prefetch (answers with their prompts) is used.
    answers = sorted(entry.answers.all(), key=lambda a: (a.order, a.pk))
    return [{"prompt": a.prompt.ref, "prompt_text": a.prompt.text, "text": a.text} for a in answers]


def _answers_resolve(refs: Refs, raw: Any) -> dict[int, str]:
    """Answers by prompt id; every prompt must be built in or the owner's own."""
    if not isinstance(raw, list):
        raise ValidationError("must be a list of answers")
    out: dict[int, str] = {}
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ValidationError(f"answer {i + 1} must have a prompt and a text")
        if len(item["text"]) > TEXT_MAX:
            raise ValidationError(f"answer {i + 1} is longer than {TEXT_MAX} characters")
        prompt = refs.prompt(item.get("prompt"))
        if prompt is None:
            raise ValidationError(
                f"answer {i + 1} names a prompt that is neither built in nor one of your own"
            )
        out[prompt.pk] = item["text"]
    return out


def _answers_write(entry: Entry, answers: dict[int, str]) -> None:
    """Make the entry's answers exactly ``answers`` (an empty text removes one)."""
    keep = {pid: text for pid, text in answers.items() if text.strip()}
    entry.answers.exclude(prompt_id__in=keep).delete()
    current = {a.prompt_id: a for a in entry.answers.all()}
    order = {}
    if entry.template_id:
        order = dict(entry.template.items.values_list("prompt_id", "order"))  # type: ignore[union-attr]
    for prompt_id, text in keep.items():
        answer = current.get(prompt_id)
        if answer is None:
            Answer.objects.create(
                entry=entry,
                owner_id=entry.owner_id,
                prompt_id=prompt_id,
                text=text,
                order=order.get(prompt_id, 999),
            )
        elif answer.text != text:
            answer.text = text
            answer.save(update_fields=["text"])


def _answers_dump_many(owner: Any, ids: list[int]) -> dict[int, Any]:
    refs = {p.pk: (p.ref, p.text) for p in Prompt.objects.available_to(owner)}
    out: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    rows = Answer.objects.filter(entry_id__in=ids).order_by("entry_id", "order", "pk")
    for entry_id, prompt_id, text in rows.values_list("entry_id", "prompt_id", "text"):
        ref, prompt_text = refs[prompt_id]
        out[entry_id].append({"prompt": ref, "prompt_text": prompt_text, "text": text})
    return out


def _answers_write_many(pairs: list[tuple[Entry, dict[int, str]]]) -> None:
    """Answers of new entries (an import), in one insert."""
    orders: dict[int | None, dict[int, int]] = {}  # by template id; None: no template
    rows = []
    for entry, answers in pairs:
        if entry.template_id not in orders:
            orders[entry.template_id] = (
                dict(entry.template.items.values_list("prompt_id", "order"))  # type: ignore[union-attr]
                if entry.template_id
                else {}
            )
        order = orders[entry.template_id]
        rows += [
            Answer(entry=entry, owner_id=entry.owner_id, prompt_id=pid, text=text,
                   order=order.get(pid, 999))
            for pid, text in answers.items()
            if text.strip()
        ]  # fmt: skip
    Answer.objects.bulk_create(rows, batch_size=1000)


def _answers_texts(dumped: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    if not isinstance(dumped, list):
        return []
    return [
        (str(a.get("prompt")), str(a.get("prompt_text", "")), str(a.get("text", "")))
        for a in dumped
        if isinstance(a, dict) and a.get("text")
    ]


ANSWERS = Relation(
    name="answers",
    label="Answers",
    dump=_answers_dump,
    resolve=_answers_resolve,
    write=_answers_write,
    texts=_answers_texts,
    dump_many=_answers_dump_many,
    write_many=_answers_write_many,
)


# --- An entry's tags ----------------------------------------------------------------------


def _tags_dump(entry: Entry) -> list[str]:
    return sorted(t.name for t in entry.tags.all()) if entry.pk else []


def _tags_resolve(refs: Refs, raw: Any) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        raise ValidationError("must be a list of words")
    return clean_tag_names(raw)


def _tags_dump_many(owner: Any, ids: list[int]) -> dict[int, Any]:
    out: dict[int, list[str]] = {pk: [] for pk in ids}
    through = Entry.tags.through.objects.filter(entry_id__in=ids)
    for entry_id, name in through.values_list("entry_id", "tag__name"):
        out[entry_id].append(name)
    return {pk: sorted(names) for pk, names in out.items()}


def _tags_write_many(pairs: list[tuple[Entry, list[str]]]) -> None:
    """Tags of new entries (an import), in one insert."""
    if not pairs:
        return
    owner = pairs[0][0].owner
    wanted = {n for _, names in pairs for n in names}
    mine = Tag.objects.for_user(owner)
    have = {t.name for t in mine.filter(name__in=wanted)}
    Tag.objects.bulk_create(
        [Tag(owner=owner, name=n) for n in wanted - have], ignore_conflicts=True
    )
    ids = dict(mine.filter(name__in=wanted).values_list("name", "pk"))
    Entry.tags.through.objects.bulk_create(
        [Entry.tags.through(entry_id=e.pk, tag_id=ids[n]) for e, names in pairs for n in names],
        batch_size=1000,
    )


def _tags_write(entry: Entry, names: list[str]) -> None:
    mine = Tag.objects.for_user(entry.owner)
    existing = {t.name: t for t in mine.filter(name__in=names)}
    missing = [Tag(owner=entry.owner, name=n) for n in names if n not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in mine.filter(name__in=names)}
    entry.tags.set([existing[n] for n in names])


TAGS = Relation(
    name="tags",
    label="Tags",
    dump=_tags_dump,
    resolve=_tags_resolve,
    write=_tags_write,
    show=lambda names: ", ".join(str(n) for n in names) if isinstance(names, list) else "",
    dump_many=_tags_dump_many,
    write_many=_tags_write_many,
)


# --- The kinds ------------------------------------------------------------------------------

ENTRY = VersionedKind(
    name="entry",
    plural="entries",
    label="entry",
    model=Entry,
    revision_model=EntryRevision,
    fields=(
        "session_date",
        "client_code",
        "session_kind",
        "cultural_moment",
        "my_response",
        "feelings",
        "addressing_domains",
        "bring_to_supervision",
        "body",
        "status",
    ),
    texts=("feelings", "body"),
    form_base=EntryForm,
    date_field="session_date",
    relations=(ANSWERS, TAGS),
    children=(Child("addenda", EntryAddendum, ("text", "created_at"), text="text"),),
    after_write=lambda entry, previous: commitments_sync_entry(entry),
    initial={"status": EntryStatus.DRAFT},
    fixed=("template",),
)


def _repair_after_write(repair: RepairNote, previous: dict[str, Any] | None) -> None:
    repair.record_status_change((previous or {}).get("status", ""))
    commitments_sync_repair(repair)


REPAIR = VersionedKind(
    name="repair",
    plural="repairs",
    label="repair note",
    model=RepairNote,
    revision_model=RepairRevision,
    fields=(
        "moment_date",
        "client_code",
        "entry",
        "observed",
        "misstep_kind",
        "my_part",
        "reactions",
        "acknowledge_step",
        "acknowledge_text",
        "apologise_step",
        "apologise_text",
        "commit_step",
        "commit_text",
        "client_response",
        "status",
        "revisit_date",
        "next_step",
        "learning",
        "supervision_question",
        "systemic_factor",
    ),
    texts=(
        "my_part",
        "reactions",
        "acknowledge_text",
        "apologise_text",
        "commit_text",
        "client_response",
        "next_step",
        "learning",
        "supervision_question",
        "systemic_factor",
    ),
    form_base=RepairForm,
    date_field="moment_date",
    children=(
        Child("follow_ups", RepairFollowUp, ("date", "note", "new_status", "created_at"), "note"),
        Child("status_changes", RepairStatusChange, ("old_status", "new_status", "changed_at"), ""),
    ),
    after_write=_repair_after_write,
    initial={"status": RepairStatus.OPEN},
)

KINDS = (ENTRY, REPAIR)


def kind_for(obj: Any) -> VersionedKind:
    """The description of ``obj``'s kind (an Entry or a RepairNote)."""
    for kind in KINDS:
        if isinstance(obj, kind.model):
            return kind
    raise TypeError(f"{type(obj).__name__} is not a kind of versioned writing")
