"""The one way to fetch what a clinician owns.

Every clinician-owned model has an ``owner`` foreign key and a manager built
from ``OwnedQuerySet``. Views fetch single objects with ``get_owned_or_404``
so that another clinician's object is indistinguishable from one that does not
exist: a 404, never a 403 that confirms it is there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.db import models
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

if TYPE_CHECKING:
    from reflect.models import User

M = TypeVar("M", bound=models.Model)


class OwnedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def for_user(self, user: Any) -> Self:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


def get_owned_or_404(queryset: models.QuerySet[M] | type[M], user: Any, **lookup: Any) -> M:
    """Return the object matching ``lookup`` that ``user`` owns, or raise Http404."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    if not hasattr(qs, "for_user"):
        raise TypeError(f"{qs.model.__name__} is not an owned model")
    try:
        return get_object_or_404(qs.for_user(user), **lookup)
    except (ValueError, TypeError):
        # A malformed id in the URL is simply "not found".
        raise Http404 from None


class AuthedRequest(HttpRequest):
    """The request of a view behind @login_required: its user is a clinician."""

    user: User
