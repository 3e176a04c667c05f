from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms

from reflect.models import Prompt, PromptCategory, User, UserManager
from reflect.timezones import grouped_time_zone_choices

EMAIL_MAX_LENGTH = 254  # the longest address RFC 5321 allows, and User.email's length


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up form, labelled for Reflect.

    An address that already has an account is not an error here: allauth answers
    exactly as for a new one and writes to that address instead (no enumeration).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.help_text = "You sign in with this address. We write to it only about your account."
        email.widget.attrs.update(
            {"autocomplete": "email", "autofocus": True, "maxlength": EMAIL_MAX_LENGTH}
        )
        email.widget.attrs.pop("placeholder", None)
        if "password2" in self.fields:
            self.fields["password2"].label = "Password confirmation"
            self.fields["password2"].widget.attrs.pop("placeholder", None)
        if "password1" in self.fields:
            self.fields["password1"].widget.attrs.pop("placeholder", None)

    def clean_email(self) -> str:
        email = UserManager.normalize_email(self.cleaned_data.get("email"))
        self.cleaned_data["email"] = email
        cleaned: str = super().clean_email()
        return cleaned


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ("display_name", "credentials", "registration_number", "time_zone")
        labels = {"time_zone": "My time zone"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"] = forms.ChoiceField(
            label="My time zone",
            choices=grouped_time_zone_choices(),
            help_text=User._meta.get_field("time_zone").help_text,
        )


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in form, labelled for an email address.

    Its error for an unknown address is the same as for a wrong password, so
    the form never confirms who has an account.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A plain field: its one length rule, below, answers in our own words.
        self.fields["login"] = forms.CharField(
            label="Email address",
            strip=True,
            widget=forms.EmailInput(
                attrs={"autocomplete": "email", "autofocus": True, "maxlength": EMAIL_MAX_LENGTH}
            ),
        )
        self.order_fields(["login", "password"])
        password = self.fields["password"]
        password.help_text = ""
        password.widget.attrs.pop("placeholder", None)

    def clean_login(self) -> str:
        # An overlong address must not reach the lockout record (PostgreSQL's DataError).
        login: str = self.cleaned_data["login"].strip()
        if len(login) > EMAIL_MAX_LENGTH:
            raise forms.ValidationError(
                f"Enter an email of at most {EMAIL_MAX_LENGTH} characters.", code="max_length"
            )
        return login


class PromptForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Prompt
        fields = ("text", "guidance", "category")
        labels = {"text": "Your question", "guidance": "A note to yourself (optional)"}
        help_texts = {"text": "Only you will see this prompt."}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "guidance": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_text(self) -> str:
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise forms.ValidationError("Write the question you want to ask yourself.")
        return text


class PromptFilterForm(forms.Form):
    q = forms.CharField(label="Search prompts", required=False, max_length=200)
    category = forms.ChoiceField(
        label="Category",
        required=False,
        choices=[("", "All categories"), *PromptCategory.choices],
    )
    hidden = forms.BooleanField(label="Show prompts I have hidden", required=False)


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
