"""Forms of the supervision space: inviting, sharing, commenting, signing off, logging hours."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst

from journal.forms import DateBox, OwnChoices
from journal.models import TEXT_MAX, Packet, Share, Supervision, SupervisionSession
from reflect.models import SecurityEvent

# Invitations are emails sent in the clinician's name: a few a day is all anyone needs,
# and the limit keeps an account from being used to send mail to strangers.
INVITATIONS_PER_DAY = 10


def invitations_today(owner: Any) -> int:
    since = timezone.now() - timedelta(days=1)
    return int(
        SecurityEvent.objects.for_user(owner)
        .filter(kind=SecurityEvent.Kind.SUPERVISOR_INVITED, at__gte=since)
        .count()
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Supervisor's email",
        max_length=254,
    )
    name = forms.CharField(label="Supervisor's name", max_length=150, required=False)

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        days = settings.SUPERVISION_INVITE_DAYS
        self.fields[
            "email"
        ].help_text = (
            f"They get a link that works once, for {days} days, and need two-factor to accept."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if invitations_today(self.owner) >= INVITATIONS_PER_DAY:
            raise forms.ValidationError(
                f"You have sent {INVITATIONS_PER_DAY} invitations in the last day. "
                "Try again tomorrow."
            )
        return data

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email == self.owner.email.lower():
            raise forms.ValidationError("This is your own address: invite someone else.")
        taken = Supervision.objects.for_user(self.owner).accepted().filter(email__iexact=email)
        if taken.exists():
            raise forms.ValidationError("This supervisor has already accepted your invitation.")
        return str(email)


class SupervisorChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.label} — {obj.get_status_display()}"


# The packet's privacy options, offered again when it is shared (its own stay as they are).
# The identity map goes only when ticked here: never carried over from the packet.
PRIVACY = ("mask_identifiers", "pseudonymise_codes", "month_year_dates", "include_identity_map")


def privacy_field(name: str) -> forms.BooleanField:
    """A tick box for one of the packet's privacy options, asked as the packet asks it."""
    label = getattr(Packet._meta.get_field(name), "verbose_name", name)
    return forms.BooleanField(label=capfirst(str(label)), required=False)


class ShareUntilForm(forms.Form):
    """Until when a share can be read (also to change it later)."""

    expires_on = forms.DateField(
        label="Readable until",
        required=False,
        widget=DateBox(),
        help_text="Leave empty to share until you end it. You can end it at any time.",
    )

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean_expires_on(self) -> Any:
        day = self.cleaned_data.get("expires_on")
        if day and day < self.owner.localdate():  # the clinician's today, where they are
            raise forms.ValidationError("Choose today or a later date.")
        return day


class ShareForm(ShareUntilForm):
    """Which supervisor, for how long, and how private (the packet's options to start with).

    The options chosen here apply to what is shared only: the packet keeps its own."""

    supervision = SupervisorChoice(
        queryset=Supervision.objects.none(),
        label="Share with",
        empty_label=None,
        widget=forms.RadioSelect,
    )
    mask_identifiers = privacy_field("mask_identifiers")
    pseudonymise_codes = privacy_field("pseudonymise_codes")
    month_year_dates = privacy_field("month_year_dates")
    include_identity_map = privacy_field("include_identity_map")
    field_order = ("supervision", "expires_on")

    def __init__(self, *args: Any, packet: Packet, supervisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # owner= goes to ShareUntilForm
        supervision = self.fields["supervision"]
        assert isinstance(supervision, SupervisorChoice)
        supervision.queryset = supervisions
        if len(choices := list(supervisions[:2])) == 1:
            supervision.initial = choices[0].pk  # the only supervisor is chosen already
        for name in PRIVACY[:-1]:
            self.fields[name].initial = getattr(packet, name)

    @property
    def privacy(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in PRIVACY}


class CommentForm(forms.Form):
    anchor = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    body = forms.CharField(
        label="Comment",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown works: *emphasis*, lists, links.",
        error_messages={"required": "Write a comment first."},
    )

    def __init__(self, *args: Any, anchors: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.anchors = anchors or set()

    def clean_anchor(self) -> str:
        anchor = str(self.cleaned_data.get("anchor") or "")
        if anchor and anchor not in self.anchors:
            raise forms.ValidationError("This item is not in the shared packet.")
        return anchor

    def clean_body(self) -> str:
        body = str(self.cleaned_data["body"]).strip()
        if not body:
            raise forms.ValidationError("Write a comment first.")
        return body


SIGN_STATEMENT = (
    "I have read this packet and discussed it with the supervisee in supervision. "
    "My comments are recorded above."
)


class SignOffForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Share
        fields = Share.SIGN_FIELDS
        labels = {
            "sign_name": "Your name",
            "sign_credential": "Your credential",
            "sign_registration": "Registration or licence number",
            "sign_date": "Date",
            "sign_statement": "Statement",
            "sign_comment": "Overall comment (optional)",
        }
        widgets = {
            "sign_date": DateBox(),
            "sign_statement": forms.Textarea(attrs={"rows": 3}),
            "sign_comment": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in Share.SIGN_FIELDS:  # everything but the overall comment is needed
            self.fields[name].required = name != "sign_comment"

    def clean_sign_date(self) -> Any:
        return not_after_today(self.cleaned_data.get("sign_date"))


def not_after_today(day: Any) -> Any:
    """A date of something that has happened: today at the latest (a day's grace for
    time zones ahead of the server's)."""
    if day and day > timezone.localdate() + timedelta(days=1):
        raise forms.ValidationError("This date is in the future: use the day it happened.")
    return day


class SupervisionSessionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = SupervisionSession
        fields = ("date", "minutes", "modality", "supervisor_name", "topics", "packets")
        widgets = {
            "date": DateBox(),
            "modality": forms.RadioSelect,
            "topics": forms.Textarea(attrs={"rows": 3}),
            "packets": forms.CheckboxSelectMultiple,
        }
        help_texts = {"minutes": "For example 60 for an hour, 90 for an hour and a half."}
        field_classes = {"packets": OwnChoices}

    # A new session's uid, chosen when the form is drawn: pressing Save twice saves it once.
    once = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["once"].initial = uuid.uuid4()
        packets = self.fields["packets"]
        assert isinstance(packets, forms.ModelMultipleChoiceField)
        packets.queryset = Packet.objects.for_user(owner).only("pk", "title", "updated_at")
        self.fields["supervisor_name"].required = True

    def clean_date(self) -> Any:
        return not_after_today(self.cleaned_data.get("date"))
