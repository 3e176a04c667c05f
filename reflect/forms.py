from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from reflect.models import Prompt, PromptCategory, User, UserManager, time_zone_choices


class SignupForm(UserCreationForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ("email",)
        help_texts = {
            "email": "You sign in with this address. We only write to it for password resets.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "autofocus": True})

    def clean_email(self) -> str:
        email = UserManager.normalize_email(self.cleaned_data.get("email"))
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email address already exists. Sign in instead, or reset "
                "the password if you have forgotten it."
            )
        return email


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ("display_name", "credentials", "registration_number", "time_zone")
        labels = {"time_zone": "My time zone"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"] = forms.ChoiceField(
            label="My time zone",
            choices=time_zone_choices(),
            help_text=User._meta.get_field("time_zone").help_text,
        )


EMAIL_MAX_LENGTH = 254  # the longest address RFC 5321 allows, and User.email's length


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, labelled for an email address.

    Its error for an unknown address is the same as for a wrong password, so
    the form never confirms who has an account.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True, "maxlength": EMAIL_MAX_LENGTH}
        )

    def clean_username(self) -> str:
        # AuthenticationForm sets max_length after the field is built, so nothing checks
        # it; an overlong address reached the lockout record and PostgreSQL's DataError.
        username: str = self.cleaned_data["username"]
        if len(username) > EMAIL_MAX_LENGTH:
            raise forms.ValidationError(
                f"Enter an email of at most {EMAIL_MAX_LENGTH} characters.", code="max_length"
            )
        return username


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
