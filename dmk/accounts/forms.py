"""Forms of the accounts app: setting the password of an invitation (issue 4 item 1)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.utils.translation import gettext_lazy as _


def _new_password_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(
            attrs={"class": "kern-form-input__input", "autocomplete": "new-password"}
        ),
    )


class InvitationAcceptForm(forms.Form):
    """The new password, twice; checked with ``AUTH_PASSWORD_VALIDATORS`` for ``user``."""

    password1 = _new_password_field(_("Neues Passwort"))
    password2 = _new_password_field(_("Neues Passwort (Wiederholung)"))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password1"].help_text = " ".join(password_validators_help_texts())
        self.fields["password1"].widget.attrs["aria-describedby"] = "password1-hint"

    def clean_password1(self) -> str:
        password = self.cleaned_data["password1"]
        validate_password(password, user=self.user)
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
        for name in self.errors:
            if name in self.fields:
                described = f"{name}-error"
                if name == "password1":
                    described = f"password1-hint {described}"
                self.fields[name].widget.attrs["aria-describedby"] = described
        return cleaned


class InvitationSendForm(forms.Form):
    """Back office: the address (and optional name) to invite."""

    # 254: the length of the model field (RFC 5321 path limit); longer is a 400, not a 500
    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254)
    first_name = forms.CharField(label=_("Vorname"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Nachname"), required=False, max_length=150)
