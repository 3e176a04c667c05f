"""Writes to entries, through the one lifecycle in journal/versioning.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from journal.kinds import ENTRY, KINDS
from journal.models import Entry, EntryAddendum, SupervisionSession


@transaction.atomic
def addendum_add(*, entry: Entry, text: str) -> EntryAddendum:
    """A dated follow-up reflection on an earlier entry; the entry itself is unchanged."""
    addendum = EntryAddendum.objects.create(entry=entry, text=text)
    ENTRY.reindex(entry)
    return addendum


@transaction.atomic
def trash_purge(*, days: int, now: Any = None) -> dict[str, int]:
    """Delete for good what has been in the trash longer than ``days``, of every kind
    and the supervision sessions, by the same rule."""
    counts = {kind.plural: kind.purge(days=days, now=now) for kind in KINDS}
    cutoff = (now or timezone.now()) - timedelta(days=days)
    doomed = SupervisionSession.objects.filter(deleted_at__lt=cutoff)
    counts["supervision_sessions"] = doomed.count()
    doomed.delete()  # their links to packets go with them, never the packets
    return counts
