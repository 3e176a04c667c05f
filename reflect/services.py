"""Writes that touch several rows, as keyword-only functions (see STYLE.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from reflect.identity import IdentityMapForm
from reflect.models import (
    IdentityMapVersion,
    Prompt,
    PromptPreference,
    ReflectionTemplate,
    TemplatePrompt,
    User,
)

BUILTIN_CONTENT = Path(__file__).resolve().parent / "content" / "builtin.json"


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    retired: int = 0
    templates: int = 0


@transaction.atomic
def builtin_content_load(*, path: Path = BUILTIN_CONTENT) -> LoadResult:
    """Create or update built-in prompts and templates by slug.

    Idempotent: a second run changes nothing. A clinician's own prompts are
    never read or written. A built-in prompt dropped from the file is retired
    (inactive), not deleted, because entries may have answered it.
    """
    content = json.loads(path.read_text(encoding="utf-8"))
    result = LoadResult()
    existing = {p.slug: p for p in Prompt.objects.builtin()}
    seen: set[str] = set()
    for order, item in enumerate(content["prompts"]):
        fields = {
            "text": item["text"],
            "guidance": item.get("guidance", ""),
            "category": item["category"],
            "source": item["source"],
            "order": order,
            "is_active": True,
        }
        seen.add(item["slug"])
        prompt = existing.get(item["slug"])
        if prompt is None:
            existing[item["slug"]] = Prompt.objects.create(slug=item["slug"], **fields)
            result.created += 1
        elif any(getattr(prompt, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(prompt, k, v)
            prompt.save(update_fields=[*fields, "updated_at"])
            result.updated += 1
    result.retired = (
        Prompt.objects.builtin()
        .exclude(slug__in=seen)
        .filter(is_active=True)
        .update(is_active=False)
    )

    for order, item in enumerate(content["templates"]):
        template, _ = ReflectionTemplate.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "kind": item["kind"],
                "description": item["description"],
                "source": item["source"],
                "structured_fields": item["structured_fields"],
                "order": order,
                "is_active": True,
            },
        )
        wanted = [
            (section, existing[slug]) for section, slugs in item["sections"] for slug in slugs
        ]
        current = list(template.items.values_list("section", "prompt_id", "order"))
        target = [(section, prompt.pk, i) for i, (section, prompt) in enumerate(wanted)]
        if current != target:
            template.items.all().delete()
            TemplatePrompt.objects.bulk_create(
                TemplatePrompt(template=template, prompt=prompt, section=section, order=i)
                for i, (section, prompt) in enumerate(wanted)
            )
        result.templates += 1
    return result


def prompt_preference_set(
    *, user: User, prompt: Prompt, pinned: bool | None = None, hidden: bool | None = None
) -> PromptPreference:
    pref, _ = PromptPreference.objects.get_or_create(owner=user, prompt=prompt)
    if pinned is not None:
        pref.pinned = pinned
    if hidden is not None:
        pref.hidden = hidden
    pref.save(update_fields=["pinned", "hidden"])
    return pref


def identity_map_save(
    *, user: User, form: IdentityMapForm, replace: IdentityMapVersion | None = None
) -> IdentityMapVersion | None:
    """Keep a new dated version, unless nothing changed since the last one.

    ``replace``: the version this same open form saved before (an autosave), which is
    updated instead, so a form open for an hour makes one version, not hundreds.
    """
    data: dict[str, Any] = form.to_data()
    if replace is not None and replace.owner_id == user.pk:
        if replace.data != data:
            replace.data = data
            replace.save(update_fields=["data"])
        return replace
    latest = IdentityMapVersion.objects.for_user(user).first()
    if latest is not None and latest.data == data:
        return None
    return IdentityMapVersion.objects.create(owner=user, data=data)
