"""One set of views for the lifecycle every kind of versioned writing shares.

``Lifecycle(kind, …).urls()`` gives a kind its create, edit, autosave, history,
restore-a-version, trash and restore-from-trash URLs, named after the kind
(``journal:entry_update``, ``journal:repair_history``…). The view modules of each kind
(``entries.py``, ``repairs.py``) declare their ``Lifecycle`` and add what only that kind
has: its list, its detail page, and how a new one starts.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from journal import history, privacy
from journal.versioning import Conflict, SaveResult, Versioned, VersionedKind
from reflect.ownership import AuthedRequest, get_owned_or_404

CONFLICT_MESSAGE = (
    "This was changed in another tab or device. Your text is still here: press Save to "
    "compare the two versions."
)


@dataclass(frozen=True)
class Notes:
    """Dated notes added to an object after it was written (an entry's addenda, a repair
    note's follow-ups): posted from its detail page, which shows the form again on error."""

    path: str  # "addenda": /entries/<pk>/addenda/
    name: str  # its URL name
    form: type[Any]
    add: Callable[[Any, dict[str, Any]], str]  # save the note; the message to show
    page: Callable[[AuthedRequest, Any, Any, int], HttpResponse]  # the detail page, with form


@dataclass(frozen=True)
class Lifecycle:
    kind: VersionedKind
    form_template: str  # e.g. "journal/entry_form.html"
    list_url: str  # where the trash button goes back to
    # An unsaved object to start from (GET or POST), or a response (a page to choose first).
    new: Callable[[AuthedRequest], Versioned | HttpResponse]
    # What else the form page shows (known client codes, a suggested code…).
    context: Callable[[AuthedRequest, Any], dict[str, Any]] = field(default=lambda request, obj: {})
    # What else the kind's form is given (a prompt to answer, from "Write about this").
    form_kwargs: Callable[[HttpRequest, Any], dict[str, Any]] = field(
        default=lambda request, obj: {}
    )
    notes: Notes | None = None

    def url_name(self, action: str) -> str:
        return f"journal:{self.kind.name}_{action}"

    def urls(self) -> list[URLPattern]:
        k, p = self.kind.name, self.kind.plural
        lc = {"lc": self}
        return [
            path(f"{p}/new/", create, lc, name=f"{k}_create"),
            path(f"{p}/autosave/", autosave, lc, name=f"{k}_autosave_new"),
            path(f"{p}/<int:pk>/edit/", update, lc, name=f"{k}_update"),
            path(f"{p}/<int:pk>/autosave/", autosave, lc, name=f"{k}_autosave"),
            path(f"{p}/<int:pk>/history/", history_view, lc, name=f"{k}_history"),
            path(
                f"{p}/<int:pk>/history/<int:revision_pk>/restore/",
                revision_restore,
                lc,
                name=f"{k}_revision_restore",
            ),
            path(f"{p}/<int:pk>/delete/", trash, lc, name=f"{k}_delete"),
            path(f"{p}/<int:pk>/restore/", untrash, lc, name=f"{k}_undelete"),
            path(
                f"{p}/<int:pk>/not-an-identifier/", not_identifier, lc, name=f"{k}_not_identifier"
            ),
            *(
                [path(f"{p}/<int:pk>/{self.notes.path}/", note_create, lc, name=self.notes.name)]
                if self.notes
                else []
            ),
        ]

    def owned(self, request: AuthedRequest, pk: int | None) -> Any:
        return get_owned_or_404(self.kind.objects().alive(), request.user, pk=pk)

    def form(self, request: HttpRequest, obj: Any, data: Any = None) -> Any:
        extra = self.form_kwargs(request, obj)
        return self.kind.form(data, instance=obj, user=request.user, **extra)

    def has_writing(self, values: dict[str, Any]) -> bool:
        """Whether the clinician wrote anything: a free text, or a text in a relation (an
        answer). A new object with only a client code or a date is not worth keeping."""
        if any(str(values.get(name) or "").strip() for name in self.kind.texts):
            return True
        for relation in self.kind.relations:
            value = values.get(relation.name)
            texts = value.values() if isinstance(value, dict) else ()
            if relation.texts is not None and any(str(text).strip() for text in texts):
                return True
        return False

    def fixed(self, obj: Any) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in self.kind.fixed}


@login_required
def create(request: AuthedRequest, *, lc: Lifecycle) -> HttpResponse:
    obj = lc.new(request)
    if isinstance(obj, HttpResponse):
        return obj
    return _form_page(request, lc, obj)


@login_required
def update(request: AuthedRequest, pk: int, *, lc: Lifecycle) -> HttpResponse:
    return _form_page(request, lc, lc.owned(request, pk))


EMPTY_MESSAGE = "Write something before saving."


def _form_page(request: AuthedRequest, lc: Lifecycle, obj: Any) -> HttpResponse:
    form = lc.form(request, obj, request.POST if request.method == "POST" else None)
    to_review: list[privacy.FieldFindings] = []
    # Nothing but a client code is not an entry: say so beside the box, keep the rest.
    new_and_valid = request.method == "POST" and not obj.pk and form.is_valid()
    if new_and_valid and not lc.has_writing(form.values()):
        form.add_error(form.first_writing_field(), EMPTY_MESSAGE)
    if request.method == "POST" and form.is_valid():
        codes = privacy.known_codes(request.user)
        to_review, acknowledged = privacy.gate(post=request.POST, form=form, obj=obj, codes=codes)
        if not to_review:
            try:
                result = lc.kind.save(
                    user=request.user,
                    obj=obj if obj.pk else None,
                    values=form.values(),
                    acknowledged=acknowledged,
                    defaults=lc.fixed(obj),
                )
            except Conflict as conflict:
                return _conflict(request, lc, conflict.obj)
            messages.success(request, "Saved.")
            return redirect(lc.url_name("detail"), pk=result.obj.pk)
    ctx = {"form": form, "identifier_review": to_review}
    status = 400 if form.is_bound and not to_review else 200
    return _render_form(request, lc, obj, ctx, status)


def _render_form(
    request: AuthedRequest, lc: Lifecycle, obj: Any, ctx: dict[str, Any], status: int
) -> HttpResponse:
    ctx = {"obj": obj, lc.kind.name: obj, "kind": lc.kind, **lc.context(request, obj), **ctx}
    return render(request, lc.form_template, ctx, status=status)


def _resubmission(request: HttpRequest, current: Any) -> QueryDict:
    """The clinician's POST, re-aimed at the version that is saved now."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    data["edit_session"] = str(uuid.uuid4())
    return data


def _conflict(request: AuthedRequest, lc: Lifecycle, current: Any) -> HttpResponse:
    """Show the saved version beside the clinician's unsaved one, never overwrite silently."""
    # The form gets its own copy: validating a ModelForm writes into its instance.
    mine = lc.kind.model._default_manager.get(pk=current.pk)
    form = lc.form(request, mine, _resubmission(request, current))
    form.is_valid()
    ctx = {
        "form": form,
        "conflict": True,
        "saved": lc.kind.snapshot(current),
        "saved_obj": current,
    }
    return _render_form(request, lc, current, ctx, 409)


@login_required
@require_POST
def autosave(request: AuthedRequest, pk: int | None = None, *, lc: Lifecycle) -> JsonResponse:
    """Save what the clinician has typed so far. Never blocks on invalid fields."""
    obj = lc.owned(request, pk) if pk else lc.new(request)
    if isinstance(obj, HttpResponse):  # pragma: no cover - new() only chooses on GET
        return JsonResponse({"saved": False, "error": "Reload the page."}, status=400)
    form = lc.form(request, obj, request.POST)
    form.is_valid()
    if "edit_session" not in form.cleaned_data:
        error = "The form is missing its session. Reload the page."
        return JsonResponse({"saved": False, "error": error}, status=400)
    if not obj.pk and not lc.has_writing(form.values()):
        # An empty draft would show in the timeline as "Nothing written yet": keep none.
        return JsonResponse({"saved": False, "empty": True})
    try:
        result = lc.kind.save(
            user=request.user,
            obj=obj if obj.pk else None,
            values=form.values(),
            autosave=True,
            defaults=lc.fixed(obj),
        )
    except Conflict:
        return JsonResponse(
            {"saved": False, "conflict": True, "error": CONFLICT_MESSAGE}, status=409
        )
    result.skipped = sorted(n for n in form.errors if n != "__all__")
    return _autosave_json(
        lc, result, privacy.notices(form, result.obj, privacy.known_codes(request.user))
    )


def _autosave_json(
    lc: Lifecycle, result: SaveResult, identifiers: list[dict[str, str]]
) -> JsonResponse:
    saved = result.obj
    return JsonResponse(
        {
            "saved": True,
            "id": saved.pk,
            "version": saved.version,
            "saved_at": timezone.localtime(saved.updated_at).strftime("%H:%M:%S"),
            "edit_url": reverse(lc.url_name("update"), args=[saved.pk]),
            "autosave_url": reverse(lc.url_name("autosave"), args=[saved.pk]),
            "not_saved": result.skipped,
            "identifiers": identifiers,
        }
    )


@login_required
def history_view(request: AuthedRequest, pk: int, *, lc: Lifecycle) -> HttpResponse:
    obj = lc.owned(request, pk)
    ctx = {
        "obj": obj,
        "kind": lc.kind,
        "rows": history.rows(lc.kind, obj),
        "detail_url": reverse(lc.url_name("detail"), args=[obj.pk]),
        "restore_name": lc.url_name("revision_restore"),
    }
    return render(request, "journal/history.html", ctx)


@login_required
@require_POST
def revision_restore(
    request: AuthedRequest, pk: int, revision_pk: int, *, lc: Lifecycle
) -> HttpResponse:
    obj = lc.owned(request, pk)
    revision = get_object_or_404(obj.revisions.all(), pk=revision_pk)
    try:
        lc.kind.restore(
            obj=obj, revision=revision, known_codes=set(privacy.known_codes(request.user))
        )
    except ValidationError as exc:
        problems = "; ".join(f"{lc.kind.label_of(n) if n != 'snapshot' else 'version'}: {m}"
                             for n, ms in exc.message_dict.items() for m in ms)  # fmt: skip
        messages.error(
            request, f"Version {revision.version} cannot be restored ({problems}). Nothing changed."
        )
        return redirect(lc.url_name("history"), pk=obj.pk)
    messages.success(
        request, f"Version {revision.version} is back. What you had before is kept in the history."
    )
    return redirect(lc.url_name("detail"), pk=obj.pk)


@login_required
@require_POST
def note_create(request: AuthedRequest, pk: int, *, lc: Lifecycle) -> HttpResponse:
    obj = lc.owned(request, pk)
    assert lc.notes is not None  # the URL exists only for kinds with notes
    form = lc.notes.form(request.POST)
    if not form.is_valid():
        return lc.notes.page(request, obj, form, 400)
    messages.success(request, lc.notes.add(obj, form.cleaned_data))
    return redirect(lc.url_name("detail"), pk=obj.pk)


@login_required
@require_POST
def trash(request: AuthedRequest, pk: int, *, lc: Lifecycle) -> HttpResponse:
    lc.kind.trash(lc.owned(request, pk))
    messages.success(request, "Moved to the trash. You can restore it from there for 30 days.")
    return redirect(lc.list_url)


@login_required
@require_POST
def untrash(request: AuthedRequest, pk: int, *, lc: Lifecycle) -> HttpResponse:
    obj = get_owned_or_404(lc.kind.objects().in_trash(), request.user, pk=pk)
    lc.kind.untrash(obj)
    messages.success(request, "Restored from the trash.")
    return redirect(lc.url_name("detail"), pk=obj.pk)


@login_required
@require_POST
def not_identifier(request: AuthedRequest, pk: int, *, lc: Lifecycle) -> JsonResponse:
    """The clinician says a flagged passage is not an identifier: never flag it in this text."""
    key = privacy.mark_not_identifier(lc.owned(request, pk), request.POST.get("key", ""))
    if key is None:
        return JsonResponse(
            {"ok": False, "error": "That is not something the check flagged."}, status=400
        )
    return JsonResponse({"ok": True, "key": key})
