"""View helpers shared by entries and repair notes (autosave, conflicts, history)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from journal.versioning import SaveResult, versioned_trash, versioned_untrash
from reflect.ownership import AuthedRequest, get_owned_or_404

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


def query_without(request: HttpRequest, *names: str) -> str:
    """The page's query string less ``names`` (page, year…), for links that keep the filters."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


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


# --- Trash and restore, the same for entries and repair notes -------------------------------
# The URL conf passes ``model`` and the URL names to go back to; ownership is checked
# through the one helper, so another clinician's object is a 404 here too.


@login_required
@require_POST
def trash_view(request: AuthedRequest, pk: int, *, model: Any, back: str) -> HttpResponse:
    obj = get_owned_or_404(model.objects.alive(), request.user, pk=pk)
    versioned_trash(obj=obj)
    messages.success(request, "Moved to the trash. You can restore it from there for 30 days.")
    return redirect(back)


@login_required
@require_POST
def untrash_view(request: AuthedRequest, pk: int, *, model: Any, detail: str) -> HttpResponse:
    obj = get_owned_or_404(model.objects.in_trash(), request.user, pk=pk)
    versioned_untrash(obj=obj)
    messages.success(request, "Restored from the trash.")
    return redirect(detail, pk=obj.pk)


@login_required
@require_POST
def revision_restore_view(
    request: AuthedRequest, pk: int, revision_pk: int, *, model: Any, restore: Any, detail: str
) -> HttpResponse:
    obj = get_owned_or_404(model.objects.alive(), request.user, pk=pk)
    revision = get_object_or_404(obj.revisions.all(), pk=revision_pk)
    restore(obj, revision)
    messages.success(
        request, f"Version {revision.version} is back. What you had before is kept in the history."
    )
    return redirect(detail, pk=obj.pk)
