from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.utils import timezone
from django.utils.html import format_html

from journal import codes
from journal.models import (
    TEXT_MAX,
    CulturalMoment,
    Entry,
    EntryStatus,
    ExportFormat,
    MisstepKind,
    MyResponse,
    Observed,
    Packet,
    RepairFollowUp,
    RepairNote,
    RepairStatus,
)
from reflect.identity import ADDRESSING_DOMAINS
from reflect.models import Prompt, ReflectionTemplate, TemplatePrompt

BODY_MAX = 100_000
MAX_TAGS = 20
TAG_MAX = 40


def clean_tag_names(names: list[str]) -> list[str]:
    """Tags as the clinician's own words: lower case, trimmed, at most 40 characters, no repeats."""
    out: list[str] = []
    for part in names:
        name = " ".join(part.split()).lower()
        if not name:
            continue
        if len(name) > TAG_MAX:
            raise forms.ValidationError(f"“{name[:TAG_MAX]}…” is longer than {TAG_MAX} characters.")
        if name not in out:
            out.append(name)
    if len(out) > MAX_TAGS:
        raise forms.ValidationError(f"Use at most {MAX_TAGS} tags.")
    return out


class DateBox(forms.DateInput):
    """The browser's date picker, which reads and writes ISO dates only, whatever the
    language: without the format, a saved date would show as an empty box."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


_F = TypeVar("_F", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, cls: type[_F]) -> _F:
    """The form's field ``name``, which is a ``cls`` (a choice field for a model field with
    choices, say): what the type checker cannot know from ``form.fields``."""
    field = form.fields[name]
    assert isinstance(field, cls)
    return field


class TagsField(forms.CharField):
    def clean(self, value: Any) -> list[str]:
        return clean_tag_names((super().clean(value) or "").split(","))


class VersionedForm(forms.ModelForm):  # type: ignore[type-arg]
    """Bookkeeping every entry and repair form carries, never shown (see versioning.py).

    A kind's form is built from its description (``journal/kinds.py``), which names the
    fields; the classes here add only labels, widgets and rules.
    """

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
        raw = self.cleaned_data.get("client_code", "")
        # A code saved before is always accepted again: validate it only when it changes.
        if self.instance.pk and raw.strip().upper() == (self.instance.client_code or "").upper():
            return str(self.instance.client_code)
        return codes.check(raw)

    def values(self) -> dict[str, Any]:
        """What was typed, as plain values for the services (only the valid fields)."""
        return dict(self.cleaned_data)

    def first_writing_field(self) -> str:
        """Where "Write something before saving" is shown: the first box for writing."""
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Textarea):
                return name
        return next(iter(self.fields))

    def _not_in_future(self, name: str, what: str) -> Any:
        value = self.cleaned_data.get(name)
        if value and value > timezone.localdate():
            raise forms.ValidationError(f"The {what} cannot be in the future.")
        return value


def _without_heading(text: str, headings: set[str]) -> str:
    """A prompt without the section heading it starts with ("So what? Why…" under "So
    what?"), so the heading is shown once."""
    for heading in headings:
        if heading and text.startswith(heading) and text[len(heading) :].strip():
            return text[len(heading) :].lstrip()
    return text


class MarkComplete(forms.CheckboxInput):
    """The entry's status as one clear control: ticked is Complete, unticked stays a Draft.

    Nothing marks an entry complete but the clinician ticking this (never a default)."""

    def __init__(self) -> None:
        super().__init__(check_test=lambda value: value == EntryStatus.COMPLETE)

    def format_value(self, value: Any) -> str | None:
        return None  # submitted as "on"; the value attribute would say "draft"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:
        ticked = super().value_from_datadict(data, files, name)
        return EntryStatus.COMPLETE if ticked else EntryStatus.DRAFT


@dataclass(frozen=True)
class AnswerSection:
    """One heading of a template with its first question shown and the rest folded away."""

    title: str
    main: list[forms.BoundField]
    more: list[forms.BoundField]
    more_open: bool


class EntryForm(VersionedForm):
    """One entry: the template's prompts as answer fields, plus the structured fields.

    ``prompt`` (from "Write about this") adds one more prompt as an answer field.
    """

    # Shown folded away unless something in them is filled in or needs a look.
    NOTICING = ("cultural_moment", "my_response", "feelings", "addressing_domains")
    NOTES = ("body", "tags", "bring_to_supervision")
    SESSION = ("session_date", "client_code", "session_kind")

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
        help_texts = {
            "client_code": "A short code, reused for the same client. Never a name or initials.",
            "body": "Anything else. Markdown works: *emphasis*, lists, links.",
            "feelings": "Yours, in a few words.",
        }
        widgets = {
            "session_date": DateBox(),
            "body": forms.Textarea(attrs={"rows": 6}),
            "cultural_moment": forms.RadioSelect,
            "my_response": forms.RadioSelect,
            "status": forms.RadioSelect,
        }

    def __init__(
        self, *args: Any, user: Any = None, prompt: Prompt | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        entry: Entry = self.instance
        self.prompt = prompt
        self.template: ReflectionTemplate | None = entry.template
        self.fields["client_code"].widget.attrs.update(
            {"list": "client-codes", "autocomplete": "off", "spellcheck": "false"}
        )
        field_of(self, "cultural_moment", forms.ChoiceField).choices = [
            ("", "Not noted"),
            *CulturalMoment.choices,
        ]
        field_of(self, "my_response", forms.ChoiceField).choices = [
            ("", "Not noted"),
            *MyResponse.choices,
        ]
        status = self.fields["status"]
        status.widget = MarkComplete()
        status.label = "Mark complete"
        status.help_text = "Unticked, it stays a draft."
        status.required = False
        if entry.pk:
            self.initial.setdefault("tags", ", ".join(t.name for t in entry.tags.all()))
            self.initial.setdefault("addressing_domains", entry.addressing_domains)

        self.items: list[TemplatePrompt] = []
        if self.template is not None:
            self.items = list(self.template.items.select_related("prompt"))
        answers = {a.prompt_id: a.text for a in entry.answers.all()} if entry.pk else {}
        self.saved_answers = answers
        sections = {item.section for item in self.items}
        for item in self.items:
            name = f"answer_{item.prompt_id}"
            self.fields[name] = forms.CharField(
                label=_without_heading(item.prompt.text, sections),
                help_text=item.prompt.guidance,
                required=False,
                max_length=TEXT_MAX,
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
                    max_length=TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
                self.initial.setdefault(name, text)
        if prompt is not None and f"answer_{prompt.pk}" not in self.fields:
            self.fields[f"answer_{prompt.pk}"] = forms.CharField(
                label=prompt.text,
                help_text=prompt.guidance,
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        if not self.items and not self.answer_names():
            self.fields["body"].widget.attrs["rows"] = 8  # the one box of a free write

    def answer_names(self) -> list[str]:
        return [n for n in self.fields if n.startswith("answer_")]

    def is_open(self, names: tuple[str, ...] | list[str]) -> bool:
        """Whether a folded part holds anything (so it opens): a value or an error."""
        for name in names:
            bound = self[name]
            if bound.errors:
                return True
            value = bound.value()
            if name == "session_kind" or isinstance(value, bool):
                value = value if value is True else ""
            if isinstance(value, str):
                value = value.strip()
            if value:
                return True
        return False

    def sections(self) -> list[AnswerSection]:
        """The answer fields by the template's sections: each section's first question is
        shown, the rest folded under it. Answers to prompts the template does not ask
        (a "Write about this" prompt, or one the template dropped) come first, shown."""
        out: list[AnswerSection] = []
        groups = self.answer_fields()
        for title, fields in groups:
            if title == self.EARLIER and not self.items:
                out.insert(0, AnswerSection("", fields, [], False))
                continue
            if title == self.EARLIER:
                out.append(AnswerSection(title, fields, [], False))
                continue
            more = fields[1:]
            out.append(AnswerSection(title, fields[:1], more, self.is_open([f.name for f in more])))
        return out

    @property
    def noticing_open(self) -> bool:
        return self.is_open(self.NOTICING)

    @property
    def notes_open(self) -> bool:
        # Without a template or a prompt, the notes are the one box, never folded.
        return self.is_open(self.NOTES)

    @property
    def session_open(self) -> bool:
        return self.is_open(self.SESSION[1:]) or bool(self["session_date"].errors)

    @property
    def free_write(self) -> bool:
        """A blank entry: one box (the notes, or a prompt's answer), the rest folded."""
        return not self.items

    def first_writing_field(self) -> str:
        names = self.answer_names()
        return names[0] if names else "body"

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
            groups.append((self.EARLIER, extra))
        return groups

    EARLIER = "Earlier answers"

    def values(self) -> dict[str, Any]:
        """Fields by name, with the answers by prompt id (only the valid ones, for autosave)."""
        out = {k: v for k, v in self.cleaned_data.items() if not k.startswith("answer_")}
        answers: dict[int, str] = {}
        for name in self.fields:
            if name.startswith("answer_"):
                pid = int(name.removeprefix("answer_"))
                # An answer that is not valid yet (autosave) keeps what was saved before.
                answers[pid] = self.cleaned_data.get(name, self.saved_answers.get(pid, ""))
        out["answers"] = answers
        return out


class RepairForm(VersionedForm):
    entry = forms.ModelChoiceField(
        queryset=Entry.objects.none(), required=False, widget=forms.HiddenInput
    )

    class Meta:
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
            "moment_date": DateBox(),
            "revisit_date": DateBox(),
            "observed": forms.RadioSelect,
            "acknowledge_step": forms.RadioSelect,
            "apologise_step": forms.RadioSelect,
            "commit_step": forms.RadioSelect,
            "status": forms.RadioSelect,
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entry = field_of(self, "entry", forms.ModelChoiceField)
        entry.queryset = Entry.objects.for_user(user).alive()
        field_of(self, "observed", forms.ChoiceField).choices = [
            ("", "Not noted"),
            *Observed.choices,
        ]
        field_of(self, "misstep_kind", forms.ChoiceField).choices = [
            ("", "Not noted"),
            *MisstepKind.choices,
        ]
        for f in self.fields.values():
            if isinstance(f.widget, forms.Textarea):
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
            "date": DateBox(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "new_status", forms.ChoiceField).choices = [
            ("", "Leave as it is"),
            *RepairStatus.choices,
        ]

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


class OwnChoices(forms.ModelMultipleChoiceField):
    """Ticked objects by id; an id no database could hold is simply not one of the choices."""

    MAX_ID = 2**63 - 1

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if not str(pk).isdigit() or not 0 < int(pk) <= self.MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice",
                    params={"value": str(pk)[:20]},
                )  # fmt: skip
        # A private Django method, so django-stubs does not declare it.
        return super()._check_values(value)  # type: ignore[misc]


FIRST_LINE_CHARS = 100


def first_line(obj: Entry | RepairNote) -> str:
    """The first line of what was written, answers included, as plain words.

    Reads answers through ``.all()``: a list prefetches them with their prompts."""
    from journal.kinds import kind_for

    for _, text in kind_for(obj).labelled_texts(obj):
        for line in text.splitlines():
            line = " ".join(line.strip(" \t#>*-").split())
            if line:
                if len(line) <= FIRST_LINE_CHARS:
                    return line
                return line[:FIRST_LINE_CHARS].rsplit(" ", 1)[0] + " …"
    return "Nothing written yet"


def _pick_label(when: str, title: str, obj: Entry | RepairNote) -> str:
    # Date, template and client code (the title), then the first line on a line of its own.
    return format_html('{} · {}<span class="pick-first">{}</span>', when, title, first_line(obj))


class EntryChoices(OwnChoices):
    def label_from_instance(self, obj: Entry) -> str:
        return _pick_label(f"{obj.session_date:%d %b %Y}", obj.title, obj)


class RepairChoices(OwnChoices):
    def label_from_instance(self, obj: RepairNote) -> str:
        title = f"{obj.title} ({obj.get_status_display()})"
        return _pick_label(f"{obj.moment_date:%d %b %Y}", title, obj)


class PacketForm(forms.ModelForm):  # type: ignore[type-arg]
    all_filtered = forms.BooleanField(
        label="Include everything the filters select (up to 2,000 items)", required=False
    )

    class Meta:
        model = Packet
        fields = (
            "title", "supervisor_name", "purpose", "period_start", "period_end", "entries",
            "repairs", "include_identity_map",
            "focal_moments", "what_i_tried", "where_stuck", "reluctant", "supervisor_dynamics",
            "requests", "month_year_dates", "pseudonymise_codes", "mask_identifiers",
        )  # fmt: skip
        widgets = {
            "period_start": DateBox(),
            "period_end": DateBox(),
            "entries": forms.CheckboxSelectMultiple,
            "repairs": forms.CheckboxSelectMultiple,
        }
        field_classes = {"entries": EntryChoices, "repairs": RepairChoices}
        help_texts = {
            "include_identity_map": "Private by default; only included when ticked.",
            "reluctant": "Only if you want your supervisor to see it.",
        }

    def __init__(self, *args: Any, entries: Any, repairs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "entries", OwnChoices).queryset = entries
        field_of(self, "repairs", OwnChoices).queryset = repairs
        for name in ("focal_moments", "what_i_tried", "where_stuck", "reluctant",
                     "supervisor_dynamics", "requests"):  # fmt: skip
            self.fields[name].widget.attrs["rows"] = 3

    def clean(self) -> dict[str, Any]:
        cd = super().clean()
        assert cd is not None  # a ModelForm's clean() returns its cleaned_data
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
