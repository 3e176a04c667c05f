"""Versioned writing, described once: what entries and repair notes share so nothing is lost.

Each kind of versioned writing is one ``VersionedKind`` (declared in ``journal/kinds.py``):
its model, the fields the clinician writes, the free-text ones among them, and the
relations a version holds beyond its own columns (tags, answers to prompts). Everything
that needs a kind's fields reads them from there: its form, revision snapshots and their
restore, history, search text, backup and import, export, and the identifier check.

The lifecycle, the same for every kind:
- every save bumps ``version``; a form carries the version it opened, and a save from
  an older one raises ``Conflict`` instead of overwriting;
- the first save from each open form (``edit_session``) keeps the previous state as a
  revision, so autosaves do not pile up revisions;
- a new-object form's ``draft_key`` makes an autosave and a submit of the same form
  land on one object;
- restoring a revision keeps the current state first, and resolves every reference in
  the snapshot against what the owner owns, refusing anything else;
- delete moves to the trash (``deleted_at``); purge removes for good later.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.text import capfirst

from journal import codes
from reflect.ownership import OwnedQuerySet

if TYPE_CHECKING:
    from journal.forms import VersionedForm

_M = TypeVar("_M", bound=models.Model)


class LeanManager(models.Manager[_M]):
    """Leaves the search columns (large, rarely needed) out of SELECTs.

    A kind's manager is ``LeanManager.from_queryset(<its QuerySet>)``.
    """

    def get_queryset(self) -> models.QuerySet[_M]:
        return super().get_queryset().defer("search_text", "search_vector")


class VersionedQuerySet(OwnedQuerySet):
    def alive(self) -> Self:
        return self.filter(deleted_at__isnull=True)

    def in_trash(self) -> Self:
        return self.filter(deleted_at__isnull=False)


class Versioned(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Stable across accounts and machines: what a backup, its restore and snapshots match on.
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1)
    edit_session = models.UUIDField(null=True, blank=True, editable=False)
    draft_key = models.UUIDField(null=True, blank=True, editable=False)
    # Possible identifiers the clinician chose to keep ("save anyway"), by Finding.key.
    identifiers_ok = models.JSONField(default=list, blank=True, editable=False)
    search_text: str  # each kind's column of everything written in it, for search

    # What a backup carries for every versioned object besides the kind's own fields.
    BOOKKEEPING = ("created_at", "updated_at", "deleted_at", "version", "identifiers_ok")

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


class Conflict(Exception):
    """The object changed since this form was opened (another tab or device)."""

    def __init__(self, obj: Any) -> None:
        super().__init__("changed since the form was opened")
        self.obj = obj


@dataclass
class SaveResult:
    obj: Any
    created: bool = False
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Relation:
    """Something a version holds beyond the kind's own columns (an entry's tags or answers).

    ``dump`` turns the object's current value into plain data for a snapshot; ``resolve``
    turns such data back into a value for ``write``, trusting nothing: it raises
    ValidationError for anything the owner does not own or that has the wrong shape.
    ``texts`` lists (key, label, text) for relations that hold writing; ``show`` gives a
    one-line summary for those that do not.
    """

    name: str
    label: str
    dump: Callable[[Any], Any]
    resolve: Callable[[Refs, Any], Any]
    write: Callable[[Any, Any], None]
    texts: Callable[[Any], list[tuple[str, str, str]]] | None = None
    show: Callable[[Any], str] | None = None
    # For backups and imports of thousands: the same as ``dump`` for many objects at once
    # (by primary key), and ``write`` for many new objects at once.
    dump_many: Callable[[Any, list[int]], dict[int, Any]] | None = None
    write_many: Callable[[list[tuple[Any, Any]]], None] | None = None


@dataclass(frozen=True)
class Child:
    """Dated notes that belong to an object but are not part of its versions (addenda)."""

    name: str  # the reverse accessor, and the key in a backup
    model: type[models.Model]
    fields: tuple[str, ...]
    text: str  # the field that holds writing, for search


def encode(model_field: Any, value: Any) -> Any:
    """A field's value as plain JSON data."""
    if value is None:
        return None
    if isinstance(model_field, models.ForeignKey):
        # Shared things (templates) by their slug; the clinician's own by their uid.
        return str(value.uid) if hasattr(value, "owner_id") else str(value.slug)
    if isinstance(value, date):
        return value.isoformat()
    return value


class Refs:
    """Resolves what a snapshot or a backup names, for one owner, remembering what it found.

    The clinician's own things by uid (``for_user``, so never another's); shared things
    (templates, built-in prompts) by slug. Never by primary key.
    """

    def __init__(self, owner: Any) -> None:
        self.owner = owner
        self._found: dict[tuple[Any, str], Any] = {}
        self._prompts: dict[str, Any] | None = None

    def owned(self, model: type[models.Model], raw: str) -> Any:
        key = (model, raw)
        if key in self._found:
            return self._found[key]
        manager: Any = model._default_manager
        if not hasattr(manager, "for_user"):
            found = manager.filter(slug=raw).first()
        else:
            try:
                found = manager.for_user(self.owner).filter(uid=uuid.UUID(raw)).first()
            except ValueError:
                found = None
        if found is not None:  # what is not found yet may be made later in an import
            self._found[key] = found
        return found

    def prompt(self, ref: Any) -> Any:
        """A built-in prompt by ``{"builtin": slug}`` or the owner's by ``{"own": uid}``."""
        from reflect.models import Prompt

        if self._prompts is None:
            self._prompts = {
                repr(sorted(p.ref.items())): p for p in Prompt.objects.available_to(self.owner)
            }
        key = repr(sorted(ref.items())) if isinstance(ref, dict) else ""
        found = self._prompts.get(key) if key else None
        if found is None:
            found = Prompt.objects.by_ref(self.owner, ref)
            if found is not None:
                self._prompts[key] = found
        return found


@lru_cache(maxsize=256)
def _choice_values(model_field: Any) -> frozenset[Any]:
    return frozenset(value for value, _ in model_field.flatchoices)


def decode(model_field: Any, raw: Any, *, refs: Refs, known_codes: set[str]) -> Any:
    """A snapshot's or backup's value for a field, checked as strictly as a form would.

    Raises ValidationError with a message for the clinician.
    """
    name = model_field.name
    if isinstance(model_field, models.ForeignKey):
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise ValidationError("must name one of your own by its uid")
        found = refs.owned(model_field.related_model, raw)  # type: ignore[arg-type]
        if found is None:
            raise ValidationError("names something that is not in your journal")
        return found
    if isinstance(model_field, models.DateField):
        if raw is None and model_field.null:
            return None
        try:
            # parse_date raises for a well-formed date that does not exist (2026-02-30).
            parsed = parse_date(raw) if isinstance(raw, str) else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValidationError("must be a date written as YYYY-MM-DD")
        return parsed
    if isinstance(model_field, models.BooleanField):
        if not isinstance(raw, bool):
            raise ValidationError("must be true or false")
        return raw
    if isinstance(model_field, models.JSONField):
        model_field.run_validators(raw)
        return raw
    if isinstance(model_field, models.CharField | models.TextField):
        if not isinstance(raw, str):
            raise ValidationError("must be text")
        if name == "client_code" and raw.strip().upper() not in known_codes:
            return codes.check(raw)
        if raw == "" and model_field.blank:
            return raw
        if model_field.choices and raw not in _choice_values(model_field):
            raise ValidationError(f"{raw[:40]!r} is not one of the choices")
        if model_field.max_length and len(raw) > model_field.max_length:
            raise ValidationError(f"is longer than {model_field.max_length} characters")
        return raw
    raise ValidationError("cannot be restored")  # pragma: no cover - every field kind is above


@dataclass(frozen=True)
class VersionedKind:
    """One kind of versioned writing, described once (like a ModelAdmin for the lifecycle)."""

    name: str  # "entry": URL names journal:entry_detail, journal:entry_update, …
    plural: str  # "entries": the URL prefix and the backup section
    label: str  # "entry", as a clinician reads it
    model: type[Versioned]
    # The columns the clinician writes, in the form's order, and the free-text ones among them.
    fields: tuple[str, ...]
    texts: tuple[str, ...]
    form_base: type[VersionedForm]
    date_field: str
    relations: tuple[Relation, ...] = ()
    children: tuple[Child, ...] = ()
    # Keep what depends on the object in step after a write (commitments, status history).
    after_write: Callable[[Any, dict[str, Any] | None], None] = lambda obj, previous: None
    # Values a new object starts with (a repair note starts open, an entry as a draft).
    initial: dict[str, Any] = field(default_factory=dict)
    # Set when the object is made and never changed by its form (an entry's template).
    fixed: tuple[str, ...] = ()
    # Only the Save button moves this field, never autosave.
    status_field: str = "status"
    revision_model: type[Revision] | None = None

    @cached_property
    def form(self) -> type[VersionedForm]:
        form = forms.modelform_factory(self.model, form=self.form_base, fields=self.fields)
        assert issubclass(form, self.form_base)  # the factory subclasses form_base
        return form

    def objects(self) -> VersionedQuerySet:
        """All of the kind's objects, as the QuerySet every kind's manager is built from."""
        queryset = self.model._default_manager.all()
        assert isinstance(queryset, VersionedQuerySet)
        return queryset

    def model_field(self, name: str) -> Any:
        return self.model._meta.get_field(name)

    def child_key(self, child: Child) -> str:
        """The name of the child's foreign key to this kind (``entry``, ``repair``)."""
        for f in child.model._meta.fields:
            if f.is_relation and f.related_model is self.model:
                return f.name
        raise LookupError(f"{child.model.__name__} does not point at {self.model.__name__}")

    def label_of(self, name: str) -> str:
        for relation in self.relations:
            if relation.name == name:
                return relation.label
        return str(capfirst(self.model_field(name).verbose_name))

    # --- Snapshots ------------------------------------------------------------------

    def snapshot(self, obj: Any) -> dict[str, Any]:
        """Everything the clinician wrote in ``obj``, as plain data."""
        data = {name: encode(self.model_field(name), getattr(obj, name)) for name in self.fields}
        for relation in self.relations:
            data[relation.name] = relation.dump(obj)
        return data

    def resolve(
        self,
        owner: Any,
        data: Any,
        *,
        known_codes: set[str] | None = None,
        refs: Refs | None = None,
    ) -> dict[str, Any]:
        """A snapshot's values, checked and with every reference resolved for ``owner``.

        Raises ValidationError whose ``message_dict`` names each field that is refused.
        Fields a snapshot leaves out keep their current value.
        """
        if not isinstance(data, dict):
            raise ValidationError({"snapshot": ["must be an object of fields"]})
        known = known_codes if known_codes is not None else set()
        refs = refs or Refs(owner)
        values: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        for name in self.fields:
            if name in data:
                try:
                    values[name] = decode(
                        self.model_field(name), data[name], refs=refs, known_codes=known
                    )
                except ValidationError as exc:
                    errors[name] = exc.messages
        for relation in self.relations:
            if relation.name in data:
                try:
                    values[relation.name] = relation.resolve(refs, data[relation.name])
                except ValidationError as exc:
                    errors[relation.name] = exc.messages
        if errors:
            raise ValidationError(errors)
        return values

    # --- Texts ------------------------------------------------------------------------

    def labelled_texts(self, obj: Any) -> list[tuple[str, str]]:
        """What was written, labelled as the form asks it, leaving out empty answers."""
        out: list[tuple[str, str]] = []
        for relation in self.relations:
            if relation.texts is not None:
                out += [(label, text) for _, label, text in relation.texts(relation.dump(obj))]
        out += [(self.label_of(n), getattr(obj, n)) for n in self.texts if getattr(obj, n)]
        return out

    def search_text(self, obj: Any) -> str:
        """Everything written in the object, its relations and its dated notes, in one column."""
        notes = [
            getattr(c, child.text)
            for child in self.children
            if child.text
            for c in getattr(obj, child.name).all()
        ]
        return self.search_text_of(self.snapshot(obj), notes)

    def search_text_of(self, snapshot: dict[str, Any], notes: list[str]) -> str:
        """The search text of a snapshot and its dated notes (also used by the import)."""
        parts = [snapshot.get("client_code") or ""]
        for relation in self.relations:
            value = snapshot.get(relation.name)
            if relation.texts is not None:
                parts += [text for _, _, text in relation.texts(value)]
            if relation.show is not None:
                parts.append(relation.show(value))
        parts += [snapshot.get(n) or "" for n in self.texts]
        return "\n".join(str(p) for p in [*parts, *notes] if p)

    def reindex(self, obj: Any) -> None:
        """Refresh the object's search text from what is saved now."""
        text = self.search_text(obj)
        self.model._default_manager.filter(pk=obj.pk).update(search_text=text)
        obj.search_text = text

    # --- The lifecycle ------------------------------------------------------------------

    def _write(self, obj: Any, values: dict[str, Any], *, autosave: bool, previous: Any) -> None:
        for name in self.fields:
            if name in values and not (autosave and name == self.status_field):
                setattr(obj, name, values[name])
        obj.save()
        for relation in self.relations:
            if relation.name in values:
                relation.write(obj, values[relation.name])
        self.after_write(obj, previous)
        self.reindex(obj)

    def keep_revision(self, obj: Any) -> None:
        obj.revisions.create(version=obj.version, snapshot=self.snapshot(obj))

    @transaction.atomic
    def save(
        self,
        *,
        user: Any,
        obj: Any | None,
        values: dict[str, Any],
        autosave: bool = False,
        acknowledged: list[str] | None = None,
        defaults: dict[str, Any] | None = None,
    ) -> SaveResult:
        """Lock, check for a conflict, keep a revision when due, then write ``values``.

        ``values`` holds plain values by field and relation name, plus the form's
        bookkeeping (``version``, ``edit_session``, ``draft_key``). Raises Conflict when
        the object changed since the form was opened.
        """
        created = False
        manager = self.model._default_manager
        if obj is None:
            obj, created = manager.get_or_create(
                owner=user,
                draft_key=values.get("draft_key") or uuid.uuid4(),
                defaults={
                    **self.initial,
                    **(defaults or {}),
                    "edit_session": values.get("edit_session"),
                },
            )
        previous = None
        if not created:
            obj = manager.select_for_update().get(pk=obj.pk)
            previous = {name: getattr(obj, name) for name in self.fields}
            same_form = obj.edit_session is not None and obj.edit_session == values.get(
                "edit_session"
            )
            if not same_form and values.get("version") != obj.version:
                raise Conflict(obj)
            if not same_form:
                self.keep_revision(obj)
            obj.version += 1
        obj.edit_session = values.get("edit_session")
        if acknowledged:
            obj.identifiers_ok = sorted(set(obj.identifiers_ok or []) | set(acknowledged))
        self._write(obj, values, autosave=autosave, previous=previous)
        return SaveResult(obj=obj, created=created)

    @transaction.atomic
    def restore(self, *, obj: Any, revision: Revision, known_codes: set[str]) -> Any:
        """Bring back an old version; the current state is kept first, so nothing is lost.

        The snapshot is checked as strictly as an import: a snapshot that names anything
        the owner does not own is refused (ValidationError) and nothing changes.
        """
        obj = self.model._default_manager.select_for_update().get(pk=obj.pk)
        values = self.resolve(obj.owner, revision.snapshot, known_codes=known_codes)
        previous = {name: getattr(obj, name) for name in self.fields}
        self.keep_revision(obj)
        obj.version += 1
        obj.edit_session = None
        self._write(obj, values, autosave=False, previous=previous)
        obj.refresh_from_db()
        return obj

    def trash(self, obj: Any) -> None:
        obj.deleted_at = timezone.now()
        obj.save(update_fields=["deleted_at"])

    def untrash(self, obj: Any) -> None:
        obj.deleted_at = None
        obj.save(update_fields=["deleted_at"])

    @transaction.atomic
    def purge(self, *, days: int, now: Any = None) -> int:
        """Delete for good what has been in the trash longer than ``days``."""
        cutoff = (now or timezone.now()) - timedelta(days=days)
        doomed = self.model._default_manager.filter(deleted_at__lt=cutoff)
        count = doomed.count()
        doomed.delete()  # related rows (answers, revisions, follow-ups) go with them
        return count
