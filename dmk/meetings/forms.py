"""Portal forms for meetings (German labels; the services check again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import State
from dmk.meetings.models import AttendanceRole, MeetingKind


class AttendanceForm(forms.Form):
    """Who represents the Land at the meeting (DOMAIN rule 1, seed §2.2)."""

    state = forms.ModelChoiceField(
        label=_("Land"),
        queryset=State.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "kern-form-input__select"}),
    )
    role = forms.ChoiceField(
        label=_("Vertreten durch"),
        choices=AttendanceRole.choices,
        widget=forms.RadioSelect(attrs={"class": "kern-radio__input"}),
        error_messages={"required": _("Bitte wählen Sie, wer Ihr Land vertritt.")},
    )
    representative_name = forms.CharField(
        label=_("Name der vertretenden Person"),
        required=False,
        max_length=200,
        help_text=_("Pflicht bei einer weiteren Stellvertretung für diese Sitzung."),
        widget=forms.TextInput(attrs={"class": "kern-form-input__input"}),
    )

    def __init__(self, *args, states=None, **kwargs):
        super().__init__(*args, **kwargs)
        if states is not None:
            self.fields["state"].queryset = states

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{name}-error"
                self.fields[name].widget.attrs["aria-invalid"] = "true"


class MeetingForm(forms.Form):
    """A new meeting (Geschäftsstelle). The past-date rule is checked by the service."""

    kind = forms.ChoiceField(
        label=_("Art"),
        choices=[
            (MeetingKind.REGULAR, MeetingKind.REGULAR.label),
            (MeetingKind.SPECIAL, MeetingKind.SPECIAL.label),
            (MeetingKind.WORKING_BODY, MeetingKind.WORKING_BODY.label),
        ],
        widget=forms.Select(attrs={"class": "kern-form-input__select"}),
    )
    name = forms.CharField(
        label=_("Bezeichnung"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "kern-form-input__input"}),
        error_messages={"required": _("Bitte geben Sie eine Bezeichnung an.")},
    )
    start_date = forms.DateField(
        label=_("Beginn (Datum)"),
        widget=forms.DateInput(attrs={"class": "kern-form-input__input", "type": "date"}),
        error_messages={
            "required": _("Bitte geben Sie das Datum an."),
            "invalid": _("Bitte geben Sie ein gültiges Datum an."),
        },
    )
    end_date = forms.DateField(
        label=_("Ende (Datum, bei mehrtägigen Sitzungen)"),
        required=False,
        widget=forms.DateInput(attrs={"class": "kern-form-input__input", "type": "date"}),
        error_messages={"invalid": _("Bitte geben Sie ein gültiges Datum an.")},
    )
    place = forms.CharField(
        label=_("Ort"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "kern-form-input__input"}),
    )
    venue = forms.CharField(
        label=_("Tagungsstätte"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "kern-form-input__input"}),
    )
    is_public = forms.BooleanField(
        label=_("Termin öffentlich ankündigen"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "kern-form-check__checkbox"}),
    )

    def full_clean(self) -> None:
        super().full_clean()
        mark_errors(self)


def mark_errors(form: forms.Form) -> None:
    """Point each erroneous widget to its message (``aria-describedby``, WCAG 3.3.1)."""
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs["aria-describedby"] = f"{name}-error"
            form.fields[name].widget.attrs["aria-invalid"] = "true"
