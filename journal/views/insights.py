"""``/insights/``: counts over time, never scores."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from journal import review
from reflect.ownership import AuthedRequest


@login_required
def insights_view(request: AuthedRequest) -> HttpResponse:
    ctx = review.insights(request.user, timezone.localdate())
    return render(request, "journal/insights.html", ctx)
