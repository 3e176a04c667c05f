"""View helpers shared by entries and repair notes (autosave, conflicts, history)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse, QueryDict
from django.urls import reverse
from django.utils import timezone

from journal.versioning import SaveResult

CONFLICT_MESSAGE = (
    "This was changed in another tab or device. Your text is still here: press Save to "
    "compare the two versions."
)


def autosave_json(
    result: SaveResult,
    *,
    edit_name: str,
    autosave_name: str,
    identifiers: list[dict[str, str]] | None = None,
) -> JsonResponse:
    saved = result.obj
    return JsonResponse(
        {
            "saved": True,
            "id": saved.pk,
            "version": saved.version,
            "saved_at": timezone.localtime(saved.updated_at).strftime("%H:%M:%S"),
            "edit_url": reverse(edit_name, args=[saved.pk]),
            "autosave_url": reverse(autosave_name, args=[saved.pk]),
            "not_saved": result.skipped,
            "identifiers": identifiers or [],
        }
    )


def autosave_refused(conflict: bool) -> JsonResponse:
    if conflict:
        return JsonResponse(
            {"saved": False, "conflict": True, "error": CONFLICT_MESSAGE}, status=409
        )
    error = "The form is missing its session. Reload the page."
    return JsonResponse({"saved": False, "error": error}, status=400)


def resubmission(request: HttpRequest, current: Any) -> QueryDict:
    """The clinician's POST, re-aimed at the version that is saved now."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    data["edit_session"] = str(uuid.uuid4())
    return data


def history_rows(
    obj: Any,
    snapshot: Callable[[Any], dict[str, Any]],
    changes: Callable[[dict[str, Any], dict[str, Any]], list[Any]],
) -> list[tuple[Any, list[Any]]]:
    """Revisions newest first, each with what changed after it."""
    rows = []
    newer = snapshot(obj)
    for revision in obj.revisions.all():
        rows.append((revision, changes(revision.snapshot, newer)))
        newer = revision.snapshot
    return rows
