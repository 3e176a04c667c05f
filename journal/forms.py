from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from journal.models import (
    Entry,
    EntryStatus,
    ExportFormat,
    MisstepKind,
    Observed,
    Packet,
    RepairFollowUp,
    RepairNote,
    RepairStatus,
)
from reflect.identity import ADDRESSING_DOMAINS
from reflect.models import ReflectionTemplate, TemplatePrompt

BODY_MAX = 100_000
ANSWER_MAX = 20_000
MAX_TAGS = 20
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY3479"  # no look-alikes such as O/0, I/1, S/5
CLIENT_CODE_RE = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")


def suggest_client_code(taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A short pseudonymous code like C-7Q4, not already used by this clinician."""
    while True:
        code = "C-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(3))
        if code not in taken:
            return code


def clean_client_code(raw: str) -> str:
    value = raw.strip()
    if not value:
        return ""
    if len(value) > 12:
        raise forms.ValidationError("A client code has at most 12 characters, like C-7Q4.")
    if " " in value or re.search(r"[A-Za-z]{3,}", value) or not re.search(r"\d", value):
        raise forms.ValidationError(
            "This looks like a name or initials. Use a code with at least one digit, like "
            "C-7Q4, and never a client's name or initials."
        )
    value = value.upper()
    if not CLIENT_CODE_RE.match(value):
        raise forms.ValidationError("Use letters, digits and hyphens only, like C-7Q4.")
    return value


class TagsField(forms.CharField):
    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        names: list[str] = []
        for part in text.split(","):
            name = " ".join(part.split()).lower()
            if not name:
                continue
            if len(name) > 40:
                raise forms.ValidationError(f"“{name[:40]}…” is longer than 40 characters.")
            if name not in names:
                names.append(name)
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(f"Use at most {MAX_TAGS} tags.")
        return names


class VersionedForm(forms.ModelForm):  # type: ignore[type-arg]
    """Bookkeeping every entry and repair form carries, never shown (see versioning.py)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    edit_session = forms.UUIDField(widget=forms.HiddenInput)
    draft_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("edit_session", uuid.uuid4())
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        else:
            self.initial.setdefault("draft_key", uuid.uuid4())

    def clean_client_code(self) -> str:
        return clean_client_code(self.cleaned_data.get("client_code", ""))

    def _not_in_future(self, name: str, what: str) -> Any:
        value = self.cleaned_data.get(name)
        if value and value > timezone.localdate():
            raise forms.ValidationError(f"The {what} cannot be in the future.")
        return value


class EntryForm(VersionedForm):
    """One entry: the template's prompts as answer fields, plus the structured fields."""

    tags = TagsField(
        label="Tags",
        required=False,
        max_length=1000,
        help_text="Your own words, separated by commas.",
    )
    body = forms.CharField(
        label="Notes",
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Anything else. Markdown works: *emphasis*, lists, links.",
    )
    addressing_domains = forms.MultipleChoiceField(
        label="ADDRESSING domains at play",
        choices=ADDRESSING_DOMAINS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Which parts of identity, yours or the client's, seemed present.",
    )

    class Meta:
        model = Entry
        fields = (
            "session_date",
            "client_code",
            "session_kind",
            "cultural_moment",
            "my_response",
            "feelings",
            "bring_to_supervision",
            "body",
            "status",
        )
        labels = {
            "session_date": "Session date",
            "client_code": "Client code",
            "cultural_moment": "Did a cultural moment come up?",
            "my_response": "How I responded",
            "feelings": "Feelings",
            "bring_to_supervision": "Bring to supervision",
            "body": "Notes",
            "status": "Status",
        }
        help_texts = {
            "client_code": "A short code, reused for the same client. Never a name or initials.",
            "body": "Anything else. Markdown works: *emphasis*, lists, links.",
            "feelings": "Yours, in a few words.",
        }
        widgets = {
            "session_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 6}),
            "cultural_moment": forms.RadioSelect,
            "my_response": forms.RadioSelect,
            "status": forms.RadioSelect,
        }

    def __init__(
        self,
        *args: Any,
        template: ReflectionTemplate | None = None,
        codes: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        entry: Entry = self.instance
        self.template = template if template is not None else entry.template
        self.codes = codes or []
        self.fields["client_code"].widget.attrs.update(
            {"list": "client-codes", "autocomplete": "off", "spellcheck": "false"}
        )
        self.fields["cultural_moment"].choices = [
            ("", "Not noted"),
            *self.fields["cultural_moment"].choices[1:],
        ]
        self.fields["my_response"].choices = [
            ("", "Not noted"),
            *self.fields["my_response"].choices[1:],
        ]
        self.fields["status"].help_text = "A draft stays a draft until you mark it complete."
        if entry.pk:
            self.initial.setdefault("tags", ", ".join(t.name for t in entry.tags.all()))
            self.initial.setdefault("addressing_domains", entry.addressing_domains)
        else:
            # Pressing Save on a new entry completes it; autosave alone keeps a draft.
            self.initial["status"] = EntryStatus.COMPLETE

        self.items: list[TemplatePrompt] = []
        if self.template is not None:
            self.items = list(self.template.items.select_related("prompt"))
        answers = {a.prompt_id: a.text for a in entry.answers.all()} if entry.pk else {}
        for item in self.items:
            name = f"answer_{item.prompt_id}"
            self.fields[name] = forms.CharField(
                label=item.prompt.text,
                help_text=item.prompt.guidance,
                required=False,
                max_length=ANSWER_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.initial.setdefault(name, answers.get(item.prompt_id, ""))
        # Prompts answered earlier that the template no longer asks: keep showing them.
        for prompt_id, text in answers.items():
            name = f"answer_{prompt_id}"
            if name not in self.fields:
                answer = next(a for a in entry.answers.all() if a.prompt_id == prompt_id)
                self.fields[name] = forms.CharField(
                    label=answer.prompt.text,
                    required=False,
                    max_length=ANSWER_MAX,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
                self.initial.setdefault(name, text)

    def clean_session_date(self) -> Any:
        return self._not_in_future("session_date", "session date")

    def answer_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Answer fields grouped by the template's sections, in order."""
        groups: list[tuple[str, list[forms.BoundField]]] = []
        seen: set[str] = set()
        for item in self.items:
            name = f"answer_{item.prompt_id}"
            if not groups or groups[-1][0] != item.section:
                groups.append((item.section, []))
            groups[-1][1].append(self[name])
            seen.add(name)
        extra = [self[n] for n in self.fields if n.startswith("answer_") and n not in seen]
        if extra:
            groups.append(("Earlier answers", extra))
        return groups

    def answers(self) -> dict[int, str]:
        """Cleaned answers by prompt id (only the valid ones, so autosave keeps them)."""
        out: dict[int, str] = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("answer_"):
                out[int(name.removeprefix("answer_"))] = value
        return out


TEXT_MAX = 20_000


class RepairForm(VersionedForm):
    entry = forms.ModelChoiceField(
        queryset=Entry.objects.none(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = RepairNote
        fields = (
            "moment_date", "client_code", "entry", "observed", "misstep_kind", "my_part",
            "reactions", "acknowledge_step", "acknowledge_text", "apologise_step",
            "apologise_text", "commit_step", "commit_text", "client_response", "status",
            "revisit_date", "next_step", "learning", "supervision_question", "systemic_factor",
        )  # fmt: skip
        help_texts = {
            "client_code": "The same code as in your entries. Never a name or initials.",
            "observed": "Behaviour, not character. Withdrawal: short answers, quick agreement, "
            "changes of subject. Confrontation: criticism, anger, pushing back.",
            "my_part": "What I said or left unsaid, what I meant, and its likely impact.",
            "reactions": "Including any urge to defend myself.",
            "next_step": "The words I might use, and the pitfalls to avoid: defending, "
            "over-apologising, asking the client to teach me.",
            "revisit_date": "When to look at this again. It shows as due from that day.",
        }
        widgets = {
            "moment_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "revisit_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "observed": forms.RadioSelect,
            "acknowledge_step": forms.RadioSelect,
            "apologise_step": forms.RadioSelect,
            "commit_step": forms.RadioSelect,
            "status": forms.RadioSelect,
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = Entry.objects.for_user(user).alive()
        self.fields["observed"].choices = [("", "Not noted"), *Observed.choices]
        self.fields["misstep_kind"].choices = [("", "Not noted"), *MisstepKind.choices]
        for f in self.fields.values():
            if isinstance(f, forms.CharField) and isinstance(f.widget, forms.Textarea):
                f.max_length = TEXT_MAX
                f.validators.append(MaxLengthValidator(TEXT_MAX))
                f.widget.attrs["rows"] = 3

    def clean_moment_date(self) -> Any:
        return self._not_in_future("moment_date", "date of the moment")


class FollowUpForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = RepairFollowUp
        fields = ("date", "note", "new_status")
        labels = {
            "date": "Date",
            "note": "What happened when I checked in",
            "new_status": "Status after this follow-up",
        }
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_status"].choices = [("", "Leave as it is"), *RepairStatus.choices]
        self.fields["note"].max_length = TEXT_MAX
        self.fields["note"].validators.append(MaxLengthValidator(TEXT_MAX))

    def clean_date(self) -> Any:
        value = self.cleaned_data.get("date")
        if value and value > timezone.localdate():
            raise forms.ValidationError("A follow-up cannot be dated in the future.")
        return value


class RepairFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *RepairStatus.choices]
    )
    kind = forms.ChoiceField(
        label="Kind of misstep", required=False, choices=[("", "Any kind"), *MisstepKind.choices]
    )
    due = forms.BooleanField(label="Due this week or overdue", required=False)


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search my journal",
        required=False,
        max_length=200,
        help_text='Words to find. Use "quotes" for a phrase and -word to leave a word out.',
    )


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="A follow-up reflection",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write a few words before adding the reflection."},
    )


class PacketForm(forms.ModelForm):  # type: ignore[type-arg]
    all_filtered = forms.BooleanField(
        label="Include everything the filters select (up to 2,000 items)", required=False
    )

    class Meta:
        model = Packet
        fields = (
            "title", "period_start", "period_end", "entries", "repairs", "include_identity_map",
            "focal_moments", "what_i_tried", "where_stuck", "reluctant", "supervisor_dynamics",
            "requests", "month_year_dates", "pseudonymise_codes",
        )  # fmt: skip
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "entries": forms.CheckboxSelectMultiple,
            "repairs": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "include_identity_map": "Private by default; only included when ticked.",
            "reluctant": "Only if you want your supervisor to see it.",
        }

    def __init__(self, *args: Any, entries: Any, repairs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = entries
        self.fields["repairs"].queryset = repairs
        self.fields["entries"].label_from_instance = lambda e: (
            f"{e.session_date:%d %b %Y} · {e.title}"
        )
        self.fields["repairs"].label_from_instance = lambda r: (
            f"{r.moment_date:%d %b %Y} · {r.title} ({r.get_status_display()})"
        )
        for name in ("focal_moments", "what_i_tried", "where_stuck", "reluctant",
                     "supervisor_dynamics", "requests"):  # fmt: skip
            self.fields[name].widget.attrs["rows"] = 3
            self.fields[name].max_length = TEXT_MAX
            self.fields[name].validators.append(MaxLengthValidator(TEXT_MAX))

    def clean(self) -> dict[str, Any]:
        cd = super().clean()
        start, end = cd.get("period_start"), cd.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", "The end of the period is before its start.")
        return cd


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[(k, v) for k, v in ExportFormat.choices if k != ExportFormat.BACKUP]
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Backup file",
        help_text="A .json file made by “Download a full backup”. "
        "Importing the same file again adds nothing twice.",
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password. Nothing has been deleted.")
        return password
