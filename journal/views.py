from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from journal import history, privacy, review
from journal.editing import autosave_json, autosave_refused, history_rows, resubmission
from journal.forms import AddendumForm, EntryForm, suggest_client_code
from journal.models import Answer, Commitment, Entry, RepairNote
from journal.privacy import known_codes
from journal.services import entry_save, entry_snapshot
from journal.versioning import Conflict
from reflect.models import IdentityMapVersion, Prompt, ReflectionTemplate
from reflect.ownership import AuthedRequest, get_owned_or_404

PAGE_SIZE = 20
DUE_SOON_DAYS = 7
RECENTLY_ANSWERED_DAYS = 30
# Hays suggests revisiting one's own map every few months.
IDENTITY_REVISIT_DAYS = 90


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "reflect/landing.html")
    user = request.user
    today = timezone.localdate()
    recent_prompts = Answer.objects.filter(
        entry__owner=user,
        entry__deleted_at__isnull=True,
        entry__session_date__gte=today - timedelta(days=RECENTLY_ANSWERED_DAYS),
    ).values_list("prompt_id", flat=True)
    latest_map = IdentityMapVersion.objects.for_user(user).only("created_at").first()
    ctx = {
        "recent_entries": Entry.objects.for_user(user).alive().select_related("template")[:5],
        "daily_prompt": Prompt.objects.for_day(user, today, exclude=recent_prompts),
        "latest_map": latest_map,
        "map_needs_revisit": latest_map is not None
        and (today - timezone.localdate(latest_map.created_at)).days > IDENTITY_REVISIT_DAYS,
        "after_session": ReflectionTemplate.objects.filter(slug="after-session").first(),
        "resurfaced": review.resurfaced(user, today),
        "addendum_form": AddendumForm(),
        "repairs_due": RepairNote.objects.for_user(user)
        .alive()
        .due_by(today + timedelta(days=DUE_SOON_DAYS))
        .count(),
        "open_commitments": Commitment.objects.for_user(user)
        .filter(done_at__isnull=True)
        .exclude(entry__deleted_at__isnull=False)
        .exclude(repair__deleted_at__isnull=False)
        .count(),
    }
    return render(request, "journal/dashboard.html", ctx)


@login_required
def entry_list(request: AuthedRequest) -> HttpResponse:
    entries = (
        Entry.objects.for_user(request.user)
        .alive()
        .select_related("template")
        .prefetch_related("tags")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "journal/entry_list.html", {"page": page})


@login_required
def entry_create(request: AuthedRequest) -> HttpResponse:
    slug = request.GET.get("template", "")
    if "template" not in request.GET:
        templates = ReflectionTemplate.objects.filter(is_active=True)
        return render(request, "journal/entry_choose.html", {"templates": templates})
    template = None
    if slug:
        template = get_object_or_404(ReflectionTemplate, slug=slug, is_active=True)
    entry = Entry(owner=request.user, template=template)
    return _entry_form(request, entry, template=template)


@login_required
def entry_update(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = get_owned_or_404(Entry.objects.alive(), request.user, pk=pk)
    return _entry_form(request, entry, template=entry.template)


def _entry_form(
    request: HttpRequest, entry: Entry, template: ReflectionTemplate | None
) -> HttpResponse:
    codes = known_codes(request.user)
    data = request.POST if request.method == "POST" else None
    form = EntryForm(data, instance=entry, template=template, codes=codes)
    to_review: list = []
    if request.method == "POST" and form.is_valid():
        to_review, acknowledged = privacy.gate(post=request.POST, form=form, obj=entry, codes=codes)
        if not to_review:
            try:
                result = entry_save(
                    user=request.user,
                    form=form,
                    entry=entry if entry.pk else None,
                    template=template,
                    acknowledged=acknowledged,
                )
            except Conflict as conflict:
                return _conflict(request, conflict.obj, template)
            messages.success(request, "Saved.")
            return redirect("journal:entry_detail", pk=result.obj.pk)
    ctx = {
        "form": form,
        "entry": entry,
        "template": template,
        "codes": codes,
        "suggested_code": suggest_client_code(set(codes)),
        "identifier_review": to_review,
    }
    status = 400 if form.is_bound and not to_review else 200
    return render(request, "journal/entry_form.html", ctx, status=status)


def _conflict(request: HttpRequest, current: Entry, template: ReflectionTemplate | None):  # type: ignore[no-untyped-def]
    """Show the saved version beside the clinician's unsaved one, never overwrite silently."""
    saved = entry_snapshot(current)
    data = resubmission(request, current)
    codes = known_codes(request.user)
    # The form gets its own copy: validating a ModelForm writes into its instance.
    mine = Entry.objects.get(pk=current.pk)
    form = EntryForm(data, instance=mine, template=template, codes=codes)
    form.is_valid()
    ctx = {
        "form": form,
        "entry": current,
        "template": template,
        "codes": codes,
        "conflict": True,
        "saved": saved,
        "saved_entry": current,
    }
    return render(request, "journal/entry_form.html", ctx, status=409)


@login_required
@require_POST
def entry_autosave(request: AuthedRequest, pk: int | None = None) -> JsonResponse:
    """Save what the clinician has typed so far. Never blocks on invalid fields."""
    entry = get_owned_or_404(Entry.objects.alive(), request.user, pk=pk) if pk else None
    template = entry.template if entry else None
    if entry is None and (slug := request.POST.get("template_slug")):
        template = ReflectionTemplate.objects.filter(slug=slug).first()
    form = EntryForm(request.POST, instance=entry or Entry(owner=request.user), template=template)
    form.is_valid()
    if "edit_session" not in form.cleaned_data:
        return autosave_refused(conflict=False)
    try:
        result = entry_save(
            user=request.user, form=form, entry=entry, template=template, autosave=True
        )
    except Conflict:
        return autosave_refused(conflict=True)
    return autosave_json(
        result,
        edit_name="journal:entry_update",
        autosave_name="journal:entry_autosave",
        identifiers=privacy.notices(form, result.obj, known_codes(request.user)),
    )


@login_required
def entry_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = get_owned_or_404(Entry.objects.alive().select_related("template"), request.user, pk=pk)
    return entry_page(request, entry, addendum_form=AddendumForm())


def entry_page(
    request: HttpRequest, entry: Entry, *, addendum_form: AddendumForm, status: int = 200
) -> HttpResponse:
    answers = list(entry.answers.select_related("prompt"))
    sections = {}
    if entry.template:
        sections = {i.prompt_id: i.section for i in entry.template.items.all()}
    groups: list[tuple[str, list[Answer]]] = []
    for answer in answers:
        section = sections.get(answer.prompt_id, "")
        if not groups or groups[-1][0] != section:
            groups.append((section, []))
        groups[-1][1].append(answer)
    ctx = {
        "entry": entry,
        "groups": groups,
        "tags": list(entry.tags.all()),
        "repairs": list(entry.repair_notes.alive()),
        "addenda": list(entry.addenda.all()),
        "addendum_form": addendum_form,
    }
    return render(request, "journal/entry_detail.html", ctx, status=status)


@login_required
def entry_history(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = get_owned_or_404(Entry.objects.alive(), request.user, pk=pk)
    rows = history_rows(entry, entry_snapshot, history.entry_changes)
    return render(request, "journal/entry_history.html", {"entry": entry, "rows": rows})


@login_required
def entry_trash_list(request: AuthedRequest) -> HttpResponse:
    entries = Entry.objects.for_user(request.user).in_trash().select_related("template")
    page = Paginator(entries.order_by("-deleted_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    repairs = RepairNote.objects.for_user(request.user).in_trash().order_by("-deleted_at")
    return render(request, "journal/entry_trash.html", {"page": page, "repairs": repairs})
