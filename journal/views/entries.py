"""``/entries/…``: reflections written after a session, and the trash."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from journal import privacy
from journal.codes import suggest
from journal.forms import AddendumForm
from journal.kinds import ENTRY
from journal.models import Answer, Entry, RepairNote
from journal.services.entries import addendum_add
from journal.views.home import daily_prompt
from journal.views.lifecycle import Lifecycle, Notes
from journal.views.paging import PAGE_SIZE
from reflect.models import Prompt, ReflectionTemplate
from reflect.ownership import AuthedRequest, get_owned_or_404
from reflect.params import int_param

# A repair note is its own kind (``/repairs/``, with follow-ups, status and due dates),
# so the built-in "Repair note" template no longer starts an entry: choosing it opens a
# real repair note. The template stays in the built-in content because entries written
# with it before keep their questions; they stay entries, and nothing is migrated.
REPAIR_TEMPLATE_KIND = "repair"


def _new(request: AuthedRequest) -> Entry | HttpResponse:
    """A new entry from the template in ``?template=`` (or the autosave's ``template_slug``),
    or one answering the prompt in ``?prompt=``; without either, the page to choose first."""
    if request.method == "GET" and not {"template", "prompt"} & set(request.GET):
        templates = ReflectionTemplate.objects.filter(is_active=True).exclude(
            kind=REPAIR_TEMPLATE_KIND
        )
        return render(request, "journal/entry_choose.html", {"templates": templates})
    slug = request.GET.get("template") or request.POST.get("template_slug") or ""
    template = None
    if slug:
        template = get_object_or_404(ReflectionTemplate, slug=slug, is_active=True)
        if template.kind == REPAIR_TEMPLATE_KIND and request.method == "GET":
            return redirect("journal:repair_create")
    _prompt(request)  # another clinician's prompt is a 404 here, before any form
    return Entry(owner=request.user, template=template)


def _prompt(request: HttpRequest) -> Prompt | None:
    """The prompt of "Write about this" (``?prompt=``, or the form's ``with_prompt``):
    built in or the clinician's own, never another's (404)."""
    source = request.POST if request.method == "POST" else request.GET
    name = "with_prompt" if request.method == "POST" else "prompt"
    if not (source.get(name) or "").strip():
        return None
    pk = int_param(request, name, 0, minimum=1, maximum=2**63 - 1, source=source)
    return get_object_or_404(Prompt.objects.available_to(request.user), pk=pk)


def _form_kwargs(request: HttpRequest, entry: Entry) -> dict[str, Any]:
    return {"prompt": _prompt(request)}


def _context(request: AuthedRequest, entry: Entry) -> dict[str, Any]:
    codes = privacy.known_codes(request.user)
    ctx: dict[str, Any] = {
        "template": entry.template,
        "codes": codes,
        "suggested_code": suggest(set(codes)),
    }
    if not entry.pk and entry.template is None and _prompt(request) is None:
        # A free write offers today's prompt, for those who would like a question.
        ctx["daily_prompt"] = daily_prompt(request.user, timezone.localdate())
    return ctx


@login_required
def entry_list(request: AuthedRequest) -> HttpResponse:
    from journal.search import with_text

    # The previews read what was written from the stored search text.
    entries = with_text(
        Entry.objects.for_user(request.user).alive().select_related("template")
    ).prefetch_related("tags")
    page = Paginator(entries, 25).get_page(request.GET.get("page"))
    return render(request, "journal/entry_list.html", {"page": page})


@login_required
def entry_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = get_owned_or_404(Entry.objects.alive().select_related("template"), request.user, pk=pk)
    return _detail(request, entry, AddendumForm())


def _detail(
    request: HttpRequest, entry: Entry, addendum_form: AddendumForm, status: int = 200
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


def _add_addendum(entry: Entry, cd: dict[str, Any]) -> str:
    addendum_add(entry=entry, text=cd["text"])
    return "Your follow-up reflection is added to the entry."


@login_required
def entry_trash_list(request: AuthedRequest) -> HttpResponse:
    """The trash, of every kind: entries paged, repair notes below them."""
    entries = Entry.objects.for_user(request.user).in_trash().select_related("template")
    page = Paginator(entries.order_by("-deleted_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    repairs = RepairNote.objects.for_user(request.user).in_trash().order_by("-deleted_at")
    return render(request, "journal/entry_trash.html", {"page": page, "repairs": repairs})


LIFECYCLE = Lifecycle(
    kind=ENTRY,
    form_template="journal/entry_form.html",
    list_url="journal:entry_list",
    new=_new,
    context=_context,
    form_kwargs=_form_kwargs,
    notes=Notes("addenda", "addendum_create", AddendumForm, _add_addendum, _detail),
)
