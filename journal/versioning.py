"""What entries and repair notes share so that nothing a clinician writes is lost.

- every save bumps ``version``; a form carries the version it opened, and a
  save from an older one raises ``Conflict`` instead of overwriting;
- the first save from each open form (``edit_session``) keeps the previous
  state as a revision, so autosaves do not pile up revisions;
- a new-entry form's ``draft_key`` makes an autosave and a submit of the same
  form land on one object;
- delete moves to the trash (``deleted_at``); purge removes for good later.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from reflect.ownership import OwnedQuerySet


class VersionedQuerySet(OwnedQuerySet):
    @classmethod
    def as_lean_manager(cls) -> Any:
        """A manager that leaves the search columns (large, rarely needed) out of SELECTs."""

        class LeanManager(models.Manager.from_queryset(cls)):  # type: ignore[misc]
            def get_queryset(self) -> Any:
                return super().get_queryset().defer("search_text", "search_vector")

        return LeanManager()

    def alive(self) -> VersionedQuerySet:
        return self.filter(deleted_at__isnull=True)

    def in_trash(self) -> VersionedQuerySet:
        return self.filter(deleted_at__isnull=False)


class Versioned(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Stable across accounts and machines: what a backup and its restore match on.
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1)
    edit_session = models.UUIDField(null=True, blank=True, editable=False)
    draft_key = models.UUIDField(null=True, blank=True, editable=False)
    # Possible identifiers the clinician chose to keep ("save anyway"), by Finding.key.
    identifiers_ok = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        abstract = True


class Revision(models.Model):
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ("-version", "-pk")

    def __str__(self) -> str:
        return f"Version {self.version}"


V = TypeVar("V", bound=Versioned)


class Conflict(Exception):
    """The object changed since this form was opened (another tab or device)."""

    def __init__(self, obj: Versioned) -> None:
        super().__init__("changed since the form was opened")
        self.obj = obj


@dataclass
class SaveResult:
    obj: Any
    created: bool = False
    skipped: list[str] = field(default_factory=list)


def keep_revision(obj: Any, snapshot: Callable[[Any], dict[str, Any]]) -> None:
    obj.revisions.create(version=obj.version, snapshot=snapshot(obj))


@transaction.atomic
def versioned_save(
    *,
    user: Any,
    model: type[V],
    obj: V | None,
    cd: dict[str, Any],
    defaults: dict[str, Any],
    snapshot: Callable[[V], dict[str, Any]],
    write: Callable[[V, bool], None],
) -> SaveResult:
    """Lock, check for a conflict, keep a revision when due, then ``write(obj, created)``."""
    created = False
    if obj is None:
        obj, created = model._default_manager.get_or_create(
            owner=user,
            draft_key=cd.get("draft_key") or uuid.uuid4(),
            defaults={**defaults, "edit_session": cd.get("edit_session")},
        )
    if not created:
        obj = model._default_manager.select_for_update().get(pk=obj.pk)
        same_form = obj.edit_session is not None and obj.edit_session == cd.get("edit_session")
        if not same_form and cd.get("version") != obj.version:
            raise Conflict(obj)
        if not same_form:
            keep_revision(obj, snapshot)
        obj.version += 1
    obj.edit_session = cd.get("edit_session")
    write(obj, created)
    return SaveResult(obj=obj, created=created)


@transaction.atomic
def versioned_restore(
    *,
    obj: V,
    revision: Revision,
    snapshot: Callable[[V], dict[str, Any]],
    apply: Callable[[V, dict[str, Any]], None],
) -> V:
    """Bring back an old version. The current state is kept first, so nothing is lost."""
    obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    keep_revision(obj, snapshot)
    obj.version += 1
    obj.edit_session = None
    apply(obj, revision.snapshot)
    obj.refresh_from_db()
    return obj


def versioned_trash(*, obj: Versioned) -> None:
    obj.deleted_at = timezone.now()
    obj.save(update_fields=["deleted_at"])


def versioned_untrash(*, obj: Versioned) -> None:
    obj.deleted_at = None
    obj.save(update_fields=["deleted_at"])


@transaction.atomic
def versioned_purge(*, model: type[Versioned], days: int, now: Any = None) -> int:
    """Delete for good what has been in the trash longer than ``days``."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    doomed = model._default_manager.filter(deleted_at__lt=cutoff)
    count = doomed.count()
    doomed.delete()  # related rows (answers, revisions, follow-ups) go with them
    return count
