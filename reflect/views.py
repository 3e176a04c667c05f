from __future__ import annotations

import logging
import uuid

from allauth.account.decorators import reauthentication_required
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.db import DatabaseError, connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST

from reflect import activity
from reflect.forms import DeleteAccountForm, ProfileForm, PromptFilterForm, PromptForm
from reflect.identity import ADDRESSING_DOMAINS, IdentityMapForm
from reflect.identity import diff as identity_diff
from reflect.identity import summary as identity_summary
from reflect.models import IdentityMapVersion, Prompt, PromptCategory
from reflect.ownership import AuthedRequest, get_owned_or_404
from reflect.security import has_mfa
from reflect.services import identity_map_save, prompt_preference_set

log = logging.getLogger(__name__)


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved.")
        return redirect("profile")
    sessions = sorted(
        UserSession.objects.purge_and_list(request.user),
        key=lambda s: s.last_seen_at,
        reverse=True,
    )
    ctx = {
        "form": form,
        "has_mfa": has_mfa(request.user),
        "sessions": sessions,
    }
    return render(request, "registration/profile.html", ctx)


@login_required
def two_factor_offer(request: AuthedRequest) -> HttpResponse:
    """After verifying the email: a calm offer to add two-factor, or to carry on."""
    ctx = {"has_mfa": has_mfa(request.user), "required": settings.REFLECT_REQUIRE_MFA}
    return render(request, "account/two_factor_offer.html", ctx)


@login_required
def security_activity(request: AuthedRequest) -> HttpResponse:
    events = list(activity.recent(request.user)[:200])
    ctx = {"events": events, "keep_days": settings.SECURITY_ACTIVITY_KEEP_DAYS}
    return render(request, "account/security_activity.html", ctx)


@login_required
@reauthentication_required
def account_delete(request: AuthedRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user.delete()  # everything a clinician owns goes with the account (on_delete=CASCADE)
        messages.success(request, "Your account and everything in it have been deleted.")
        return redirect("home")
    return render(request, "registration/account_delete.html", {"form": form})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.warning("healthz: database unreachable")
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


# --- Prompt library ------------------------------------------------------------


@login_required
def prompt_list(request: AuthedRequest) -> HttpResponse:
    form = PromptFilterForm(request.GET or None)
    show_hidden = False
    prompts = Prompt.objects.available_to(request.user).filter(is_active=True)
    if form.is_valid():
        if q := form.cleaned_data["q"].strip():
            prompts = prompts.filter(
                Q(text__icontains=q) | Q(guidance__icontains=q) | Q(source__icontains=q)
            )
        if category := form.cleaned_data["category"]:
            prompts = prompts.filter(category=category)
        show_hidden = form.cleaned_data["hidden"]
    prompts = prompts.with_preferences(request.user)
    if not show_hidden:
        prompts = prompts.filter(is_hidden=False)
    rows = list(prompts.order_by("category", "order", "pk"))
    labels = dict(PromptCategory.choices)
    by_category: dict[str, list[Prompt]] = {}
    for prompt in rows:
        by_category.setdefault(prompt.category, []).append(prompt)
    groups = [
        (key, labels[key], by_category[key])
        for key, _ in PromptCategory.choices
        if key in by_category
    ]
    ctx = {
        "form": form,
        "groups": groups,
        "pinned": [p for p in rows if p.is_pinned],
        "count": len(rows),
        "show_hidden": show_hidden,
    }
    return render(request, "reflect/prompt_list.html", ctx)


@login_required
def prompt_create(request: AuthedRequest) -> HttpResponse:
    return _prompt_form(request, Prompt(owner=request.user))


@login_required
def prompt_update(request: AuthedRequest, pk: int) -> HttpResponse:
    return _prompt_form(request, get_owned_or_404(Prompt, request.user, pk=pk))


def _prompt_form(request: HttpRequest, prompt: Prompt) -> HttpResponse:
    form = PromptForm(request.POST or None, instance=prompt)
    if request.method == "POST" and form.is_valid():
        form.instance.source = "My own prompt"
        form.save()
        messages.success(request, "Your prompt is saved.")
        return redirect(f"{reverse('prompt_list')}#prompt-{form.instance.pk}")
    return render(request, "reflect/prompt_form.html", {"form": form, "prompt": prompt})


@login_required
@require_POST
def prompt_pin(request: AuthedRequest, pk: int) -> HttpResponse:
    prompt = _available_prompt(request, pk)
    pinned = request.POST.get("pinned") == "1"
    prompt_preference_set(user=request.user, prompt=prompt, pinned=pinned)
    messages.success(request, "Pinned." if pinned else "Unpinned.")
    return redirect(_back_to_prompts(request, prompt))


@login_required
@require_POST
def prompt_hide(request: AuthedRequest, pk: int) -> HttpResponse:
    prompt = _available_prompt(request, pk)
    hidden = request.POST.get("hidden") == "1"
    prompt_preference_set(user=request.user, prompt=prompt, hidden=hidden)
    messages.success(
        request,
        "Hidden. It will not be offered to you; find it again with “Show prompts I have hidden”."
        if hidden
        else "Shown again.",
    )
    return redirect(_back_to_prompts(request, prompt))


def _available_prompt(request: HttpRequest, pk: int) -> Prompt:
    # Built-in prompts belong to everyone; a clinician's own prompts to them alone.
    return get_object_or_404(Prompt.objects.available_to(request.user), pk=pk)


def _back_to_prompts(request: HttpRequest, prompt: Prompt) -> str:
    query = request.POST.get("return_query", "")
    url = reverse("prompt_list")
    if query and url_has_allowed_host_and_scheme(f"{url}?{query}", allowed_hosts=None):
        url = f"{url}?{query}"
    return f"{url}#prompt-{prompt.pk}"


# --- Identity map --------------------------------------------------------------


# The version the open form (its ``edit_session``) last saved: its later saves, autosaves
# or the Save button, update that version instead of adding one per keystroke.
IDENTITY_FORM_KEY = "identity_map_form"


def _identity_form_version(
    request: AuthedRequest, latest: IdentityMapVersion | None
) -> IdentityMapVersion | None:
    mine = request.session.get(IDENTITY_FORM_KEY)
    sent = (request.POST.get("edit_session") or "")[:64]
    if latest is None or not sent or not isinstance(mine, list) or len(mine) != 2:
        return None
    return latest if mine == [sent, latest.pk] else None


def _identity_save(
    request: AuthedRequest, form: IdentityMapForm, latest: IdentityMapVersion | None
) -> IdentityMapVersion | None:
    saved = identity_map_save(
        user=request.user, form=form, replace=_identity_form_version(request, latest)
    )
    sent = (request.POST.get("edit_session") or "")[:64]
    if saved is not None and sent:
        request.session[IDENTITY_FORM_KEY] = [sent, saved.pk]
    return saved


@login_required
def identity_map(request: AuthedRequest) -> HttpResponse:
    latest = IdentityMapVersion.objects.for_user(request.user).first()
    form = IdentityMapForm(
        request.POST if request.method == "POST" else None,
        initial_data=latest.data if latest else None,
    )
    if request.method == "POST" and form.is_valid():
        if _identity_save(request, form, latest):
            messages.success(request, "Saved as a new version. Earlier versions are kept.")
        else:
            messages.success(request, "Nothing had changed, so no new version was needed.")
        return redirect("identity_map")
    ctx = {
        "form": form,
        "latest": latest,
        "domains": ADDRESSING_DOMAINS,
        "edit_session": uuid.uuid4(),
    }
    return render(request, "reflect/identity_map.html", ctx)


@login_required
@require_POST
def identity_autosave(request: AuthedRequest) -> JsonResponse:
    """Save the map as it is typed: the first autosave of an open form makes today's new
    version, later ones update it (one version per open form, never one per keystroke)."""
    latest = IdentityMapVersion.objects.for_user(request.user).first()
    form = IdentityMapForm(request.POST, initial_data=latest.data if latest else None)
    if not form.is_valid():
        error = "Some answers need a look before they can be saved; press Save to see which."
        return JsonResponse({"saved": False, "error": error}, status=400)
    saved = _identity_save(request, form, latest) or latest
    at = timezone.localtime(saved.created_at if saved else timezone.now())
    return JsonResponse({"saved": True, "saved_at": at.strftime("%H:%M:%S"), "identifiers": []})


@login_required
def identity_history(request: AuthedRequest) -> HttpResponse:
    versions = list(IdentityMapVersion.objects.for_user(request.user).only("pk", "created_at"))
    return render(request, "reflect/identity_history.html", {"versions": versions})


@login_required
def identity_version(request: AuthedRequest, pk: int) -> HttpResponse:
    version = get_owned_or_404(IdentityMapVersion, request.user, pk=pk)
    ctx = {"version": version, "groups": identity_summary(version.data)}
    return render(request, "reflect/identity_version.html", ctx)


@login_required
def identity_compare(request: AuthedRequest) -> HttpResponse:
    older = get_owned_or_404(IdentityMapVersion, request.user, pk=request.GET.get("from"))
    newer = get_owned_or_404(IdentityMapVersion, request.user, pk=request.GET.get("to"))
    if (older.created_at, older.pk) > (newer.created_at, newer.pk):
        older, newer = newer, older
    ctx = {"older": older, "newer": newer, "changes": identity_diff(older.data, newer.data)}
    return render(request, "reflect/identity_compare.html", ctx)


@require_GET
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which every browser asks for whatever the page links."""
    path = finders.find("favicon.ico")
    assert isinstance(path, str)  # static/favicon.ico ships with the app
    with open(path, "rb") as icon:
        return HttpResponse(icon.read(), content_type="image/x-icon")


@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    """A short guide for clinicians, open to anyone deciding whether to sign up."""
    return render(request, "reflect/help.html")
