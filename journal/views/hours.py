"""``/hours/…``: the clinician's supervision log (sessions, totals, CSV and PDF).

What the log counts and what the downloads say is in ``journal/hours.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from journal import exports, hours
from journal.forms.supervision import SupervisionSessionForm
from journal.models import SupervisionSession
from journal.views.paging import PAGE_SIZE, query_without
from reflect.downloads import attachment
from reflect.ownership import AuthedRequest, get_owned_or_404
from reflect.params import int_param

MAX_PAGE = 10_000
TRASH_SHOWN = 20


# The hours PDF is one table and a sign-off, so it is made in the request (not on the
# worker like a packet's), in a child process with a limit inside the request's own time
# budget, so a runaway render is stopped before the server gives up on the request.
def pdf_seconds() -> int:
    return max(5, min(20, settings.REQUEST_TIMEOUT_SECONDS - 5))


# The session just moved to the trash, so the list can offer to put it back.
JUST_TRASHED = "hours_just_trashed"


@login_required
def hours_list(request: AuthedRequest) -> HttpResponse:
    period = hours.period_of(request)
    sessions = period.apply(hours.live(request.user))
    page = Paginator(hours.with_packets(sessions), PAGE_SIZE).get_page(
        int_param(request, "page", 1, minimum=1, maximum=MAX_PAGE)
    )
    just_trashed = None
    if pk := request.session.pop(JUST_TRASHED, None):
        just_trashed = hours.trashed(request.user).filter(pk=pk).first()
    ctx = {
        "period": period,
        "page": page,
        "rows": hours.list_rows(page.object_list),
        "totals": hours.totals_of(sessions),
        "modalities": hours.modality_labels(),
        "trash": list(hours.trashed(request.user).order_by("-deleted_at", "-pk")[:TRASH_SHOWN]),
        "just_trashed": just_trashed,
        "query": query_without(request, "page"),
        "download_query": query_without(request, "page") if period.valid else "",
    }
    return render(request, "journal/hours/hours_list.html", ctx)


def _form_page(request: AuthedRequest, session: SupervisionSession) -> HttpResponse:
    form = SupervisionSessionForm(request.POST or None, instance=session, owner=request.user)
    if request.method == "POST" and form.is_valid():
        once = form.cleaned_data.get("once")
        if session.pk is None and once:
            if SupervisionSession.objects.for_user(request.user).filter(uid=once).exists():
                messages.info(request, "This session was saved already.")  # a second press
                return redirect("journal:hours")
            form.instance.uid = once
        form.save()
        messages.success(request, f"Saved the session of {hours.short_date(session.date)}.")
        return redirect("journal:hours")
    return render(request, "journal/hours/hours_form.html", {"form": form, "session": session})


@login_required
def hours_create(request: AuthedRequest) -> HttpResponse:
    return _form_page(
        request, SupervisionSession(owner=request.user, date=request.user.localdate())
    )


@login_required
def hours_update(request: AuthedRequest, pk: int) -> HttpResponse:
    return _form_page(request, get_owned_or_404(hours.live(request.user), request.user, pk=pk))


@login_required
@require_POST
def hours_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    session = get_owned_or_404(hours.live(request.user), request.user, pk=pk)
    session.deleted_at = timezone.now()
    session.save(update_fields=["deleted_at", "updated_at"])
    # The list says so with a "Put back" button beside it (a message cannot hold a form).
    request.session[JUST_TRASHED] = session.pk
    return redirect("journal:hours")


@login_required
@require_POST
def hours_restore(request: AuthedRequest, pk: int) -> HttpResponse:
    session = get_owned_or_404(hours.trashed(request.user), request.user, pk=pk)
    session.deleted_at = None
    session.save(update_fields=["deleted_at", "updated_at"])
    messages.success(request, f"Put back the session of {hours.short_date(session.date)}.")
    return redirect("journal:hours")


# --- Downloads (no-store, as every signed-in response: NoStoreForSignedInMiddleware) ------


def _back_to_list(request: AuthedRequest) -> HttpResponse:
    """To the list with the same period, where what is wrong shows beside the field."""
    return redirect(f"{reverse('journal:hours')}?{query_without(request)}")


@login_required
def hours_csv(request: AuthedRequest) -> HttpResponse:
    period = hours.period_of(request)
    if not period.valid:
        return _back_to_list(request)
    download = hours.download_of(request.user, period)
    return attachment(
        hours.csv_text(download),
        content_type="text/csv; charset=utf-8",
        filename=download.filename(request.user.localdate(), "csv"),
    )


@login_required
def hours_pdf(request: AuthedRequest) -> HttpResponse:
    period = hours.period_of(request)
    if not period.valid:
        return _back_to_list(request)
    download = hours.download_of(request.user, period)
    today = request.user.localdate()
    ctx = hours.pdf_context(download, user=request.user, today=today)
    html = render_to_string("journal/hours/hours_print.html", ctx)
    try:
        pdf = exports.render_pdf_html(
            html, seconds=pdf_seconds(), fewer="sessions: choose a shorter period"
        )
    except exports.RenderError as exc:
        messages.error(request, str(exc))
        return _back_to_list(request)
    return attachment(pdf, content_type="application/pdf", filename=download.filename(today, "pdf"))
