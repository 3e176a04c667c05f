"""Writes to repair notes: the shared lifecycle, plus follow-ups that move the status."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from journal.kinds import REPAIR
from journal.models import RepairFollowUp, RepairNote


@transaction.atomic
def follow_up_add(
    *, repair: RepairNote, day: date, note: str, new_status: str = ""
) -> RepairFollowUp:
    """A dated check-in; when it names a new status, the repair moves and the move is kept."""
    repair = RepairNote.objects.select_for_update().get(pk=repair.pk)
    follow_up = RepairFollowUp.objects.create(
        repair=repair, date=day, note=note, new_status=new_status
    )
    if new_status and new_status != repair.status:
        old = repair.status
        repair.status = new_status
        repair.version += 1
        repair.edit_session = None  # an open edit form must not silently undo this
        repair.save(update_fields=["status", "version", "edit_session", "updated_at"])
        repair.record_status_change(old, follow_up)
    REPAIR.reindex(repair)
    return follow_up
