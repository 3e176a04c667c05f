"""Commitments: what a clinician said they would do, kept in step with what they wrote."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from journal.models import Commitment, Entry, RepairNote

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
