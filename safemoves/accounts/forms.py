from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.http import HttpRequest

from safemoves.accounts.models import User
from safemoves.organisations.selectors import membership_for_user

LOGIN_ERROR = "Enter a correct e-mail address and password."


class LoginForm(forms.Form):
    # Named "username" so that django-axes reads the same field it locks on.
    username = forms.EmailField(label="E-mail address", max_length=254)
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput)

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email = str(cleaned.get("username", "")).lower()
        password = cleaned.get("password")
        if not email or not password:
            return cleaned
        user = authenticate(self.request, username=email, password=password)
        # A valid password for an account with no active membership is refused with the
        # same words, so the form never tells an outsider which accounts exist.
        if not isinstance(user, User) or membership_for_user(user) is None:
            raise forms.ValidationError(LOGIN_ERROR, code="invalid_login")
        self.user = user
        return cleaned


class TokenForm(forms.Form):
    token = forms.RegexField(
        label="Security code",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Enter the 6-digit code from your authenticator app."},
        help_text="The 6-digit code shown in your authenticator app.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["token"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "spellcheck": "false"}
        )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip()


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. A few unrelated words make a strong password.",
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, full_name: str, **kwargs: Any) -> None:
        self.email = email
        self.full_name = full_name
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords are different.")
        elif first:
            candidate = User(email=self.email, full_name=self.full_name)
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label="Recovery code",
        max_length=20,
        help_text="One of the codes you were given when you set up your authenticator, like abcde-23456.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false", "autofocus": True})
