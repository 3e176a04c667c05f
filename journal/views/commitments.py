"""``/commitments/…``: what the clinician said they would do, until it is done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from journal import codes
from journal.models import Commitment
from journal.services.commitments import commitment_mark
from reflect.ownership import AuthedRequest, get_owned_or_404


@login_required
def commitment_list(request: AuthedRequest) -> HttpResponse:
    if "X-Requested-With" in request.headers and "client" in request.GET:
        return open_for_client(request)
    base = Commitment.objects.for_user(request.user).alive().with_source()
    # Paged: years of "Now what?" add up to thousands of open commitments.
    page = Paginator(base.filter(done_at__isnull=True), 25).get_page(request.GET.get("page"))
    ctx = {
        "open": list(page.object_list),
        "page": page,
        "done": list(base.filter(done_at__isnull=False).order_by("-done_at", "-pk")[:50]),
    }
    return render(request, "journal/commitment_list.html", ctx)


@login_required
@require_POST
def commitment_done(request: AuthedRequest, pk: int) -> HttpResponse:
    commitment = get_owned_or_404(Commitment, request.user, pk=pk)
    done = request.POST.get("done") == "1"
    commitment_mark(commitment=commitment, done=done)
    messages.success(request, "Marked done." if done else "Opened again.")
    return redirect("journal:commitment_list")


def open_for_client(request: AuthedRequest) -> HttpResponse:
    """The open commitments of one client code, as a fragment for the page being written
    (``?client=C-7Q4`` with an ``X-Requested-With`` header): empty when there are none."""
    code = (request.GET.get("client") or "").strip()[: codes.MAX_LENGTH]
    ctx = {
        "commitments": list(Commitment.objects.open_for_client(request.user, code)[:20]),
        "client_code": code.upper(),
    }
    return render(request, "journal/_open_commitments.html", ctx)
