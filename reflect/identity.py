"""The clinician's private identity map, after Hays' ADDRESSING framework.

The map is stored as JSON in ``IdentityMapVersion.data``:
``{"domains": {key: {field: value}}, "other_identities": str, "professional_culture": str}``.
Every field is optional. Entries name domains at play by the same keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms

ADDRESSING_DOMAINS: list[tuple[str, str]] = [
    ("age", "Age and generational influences"),
    ("developmental_disability", "Developmental disability"),
    ("acquired_disability", "Disability acquired later in life"),
    ("religion", "Religion and spiritual orientation"),
    ("ethnicity", "Ethnic and racial identity"),
    ("socioeconomic", "Socioeconomic status"),
    ("sexual_orientation", "Sexual orientation"),
    ("indigenous", "Indigenous heritage"),
    ("national_origin", "National origin"),
    ("gender", "Gender"),
]
DOMAIN_LABELS = dict(ADDRESSING_DOMAINS)

POSITION_CHOICES = [
    ("", "Not answered"),
    ("dominant", "Dominant"),
    ("non_dominant", "Non-dominant"),
    ("mixed", "Mixed"),
    ("prefer_not", "Prefer not to say"),
]
IMPORTANCE_CHOICES = [
    ("", "Not answered"),
    ("1", "1 (matters little to me)"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5 (matters a great deal)"),
    ("prefer_not", "Prefer not to say"),
]

# (key, label, kind) for each question asked of every domain.
DOMAIN_FIELDS: list[tuple[str, str, str]] = [
    ("self_description", "How I describe myself", "text"),
    ("position", "My position in my current work context", "position"),
    ("importance", "How much it matters to me", "importance"),
    ("in_session", "How it may show up in session (strengths, blind spots)", "textarea"),
    ("discomfort", "Where I notice discomfort", "textarea"),
    ("learning_goal", "A learning goal", "textarea"),
]
FIELD_LABELS = {key: label for key, label, _ in DOMAIN_FIELDS}
GENERAL_FIELDS: list[tuple[str, str, str]] = [
    (
        "other_identities",
        "Other identities",
        "Language, immigration, caste, rurality, body, or anything else that shapes you.",
    ),
    (
        "professional_culture",
        "Professional culture",
        "Training, theoretical orientation, the culture of your workplace.",
    ),
]
CHOICE_LABELS = {
    "position": dict(POSITION_CHOICES),
    "importance": dict(IMPORTANCE_CHOICES),
}


def field_name(domain: str, field: str) -> str:
    return f"{domain}__{field}"


class IdentityMapForm(forms.Form):
    """Every ADDRESSING question as an optional field; nothing is required."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        initial_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        initial = flatten(initial_data or {})
        super().__init__(data, initial=initial, **kwargs)
        for domain, _ in ADDRESSING_DOMAINS:
            for key, label, kind in DOMAIN_FIELDS:
                self.fields[field_name(domain, key)] = _make_field(label, kind)
        for key, label, help_text in GENERAL_FIELDS:
            self.fields[key] = forms.CharField(
                label=label,
                help_text=help_text,
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def domain_groups(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        return [
            (domain, label, [self[field_name(domain, key)] for key, _, _ in DOMAIN_FIELDS])
            for domain, label in ADDRESSING_DOMAINS
        ]

    def general_fields(self) -> list[forms.BoundField]:
        return [self[key] for key, _, _ in GENERAL_FIELDS]

    def to_data(self) -> dict[str, Any]:
        cd = self.cleaned_data
        domains: dict[str, dict[str, str]] = {}
        for domain, _ in ADDRESSING_DOMAINS:
            values = {
                key: cd[field_name(domain, key)].strip()
                for key, _, _ in DOMAIN_FIELDS
                if cd.get(field_name(domain, key), "").strip()
            }
            if values:
                domains[domain] = values
        data: dict[str, Any] = {"domains": domains}
        for key, _, _ in GENERAL_FIELDS:
            data[key] = cd.get(key, "").strip()
        return data


def _make_field(label: str, kind: str) -> forms.Field:
    if kind == "position":
        return forms.ChoiceField(label=label, choices=POSITION_CHOICES, required=False)
    if kind == "importance":
        return forms.ChoiceField(label=label, choices=IMPORTANCE_CHOICES, required=False)
    widget = forms.Textarea(attrs={"rows": 2}) if kind == "textarea" else forms.TextInput()
    return forms.CharField(label=label, required=False, max_length=2000, widget=widget)


def flatten(data: dict[str, Any]) -> dict[str, str]:
    flat: dict[str, str] = {}
    for domain, values in (data.get("domains") or {}).items():
        for key, value in values.items():
            flat[field_name(domain, key)] = value
    for key, _, _ in GENERAL_FIELDS:
        flat[key] = data.get(key, "")
    return flat


def display_value(field: str, value: str) -> str:
    return CHOICE_LABELS.get(field, {}).get(value, value)


@dataclass(frozen=True)
class Change:
    section: str
    question: str
    before: str
    after: str


def diff(older: dict[str, Any], newer: dict[str, Any]) -> list[Change]:
    """What changed between two saved maps, in the order the form asks."""
    a, b = flatten(older), flatten(newer)
    changes: list[Change] = []
    for domain, domain_label in ADDRESSING_DOMAINS:
        for key, label, _ in DOMAIN_FIELDS:
            name = field_name(domain, key)
            before, after = a.get(name, ""), b.get(name, "")
            if before != after:
                changes.append(
                    Change(
                        domain_label, label, display_value(key, before), display_value(key, after)
                    )
                )
    for key, label, _ in GENERAL_FIELDS:
        if a.get(key, "") != b.get(key, ""):
            changes.append(Change(label, label, a.get(key, ""), b.get(key, "")))
    return changes


def summary(data: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The answered questions of a map, grouped by domain, for reading."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    domains = data.get("domains") or {}
    for domain, domain_label in ADDRESSING_DOMAINS:
        values = domains.get(domain) or {}
        rows = [
            (label, display_value(key, values[key]))
            for key, label, _ in DOMAIN_FIELDS
            if values.get(key)
        ]
        if rows:
            groups.append((domain_label, rows))
    for key, label, _ in GENERAL_FIELDS:
        if data.get(key):
            groups.append((label, [(label, data[key])]))
    return groups
