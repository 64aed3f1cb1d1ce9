"""Portal forms for meetings (German labels; the services check again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import State, Topic
from dmk.meetings.models import (
    AgendaItemKind,
    AttendanceRole,
    MeetingKind,
    validate_https_url,
)
from dmk.meetings.rules import NonexistentLocalTime, berlin_datetime
from dmk.meetings.services import both_roles_message, lead_and_co_sponsor


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


class _WhenAndWhereForm(forms.Form):
    """Date and place of a meeting, shared by :class:`MeetingForm` and
    :class:`RescheduleForm`; marks erroneous widgets (``mark_errors``)."""

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
    # A CharField, not a URLField: Django's URLField would prepend "http://" to an address
    # typed without a scheme and add a second, generic message.
    video_url = forms.CharField(
        label=_("Videokonferenz (https-Adresse, nur intern und in der Einladung)"),
        required=False,
        max_length=500,
        validators=[validate_https_url],
        widget=forms.URLInput(attrs={"class": "kern-form-input__input"}),
        error_messages={
            "max_length": _("Die Adresse der Videokonferenz ist zu lang (höchstens 500 Zeichen).")
        },
    )

    def full_clean(self) -> None:
        super().full_clean()
        mark_errors(self)


class MeetingForm(_WhenAndWhereForm):
    """A new meeting (Geschäftsstelle). The past-date rule is checked by the service."""

    field_order = [
        "kind",
        "name",
        "start_date",
        "end_date",
        "place",
        "venue",
        "video_url",
        "is_public",
    ]

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
    is_public = forms.BooleanField(
        label=_("Termin öffentlich ankündigen"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "kern-form-check__checkbox"}),
    )


_CHECK = {"class": "kern-form-check__checkbox"}


class _IdsChoiceField(forms.ModelMultipleChoiceField):
    """A ``ModelMultipleChoiceField`` whose posted keys may be garbage: Django checks them with
    a ``pk__in`` lookup, which hands a number beyond the database's 64-bit integer to the
    database (SQLite: OverflowError, PostgreSQL: DataError — a 500). Such a key is refused as
    an invalid value before the lookup (German message of Django's own)."""

    def clean(self, value: object) -> object:
        for key in value if isinstance(value, list | tuple) else ():
            try:
                number = int(str(key))  # as the lookup reads it: signs, spaces, "1_000"
            except ValueError:
                continue  # not a number: Django's own check refuses it
            if not -(2**63) <= number < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(key)[:20]},
                )
        return super().clean(value)


class AgendaItemForm(forms.Form):
    """A TOP added or changed by the Geschäftsstelle (issue 5 item 2). The services repeat
    every check (number unique in the meeting, DOMAIN rule 5). Lead Länder
    (``lead_states``) and co-sponsoring Länder (``co_sponsor_states``, issue 5 item 2) are
    two lists; a Land in both is refused here and again by the services."""

    number = forms.CharField(
        label=_("Nummer (z. B. 3.1)"),
        max_length=20,
        widget=forms.TextInput(attrs={"class": "kern-form-input__input"}),
        error_messages={"required": _("Bitte geben Sie die Nummer des Tagesordnungspunkts an.")},
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=500,
        widget=forms.TextInput(attrs={"class": "kern-form-input__input"}),
        error_messages={"required": _("Bitte geben Sie einen Titel an.")},
    )
    kind = forms.ChoiceField(
        label=_("Art"),
        choices=AgendaItemKind.choices,
        initial=AgendaItemKind.DECISION,
        widget=forms.Select(attrs={"class": "kern-form-input__select"}),
    )
    lead_states = _IdsChoiceField(
        label=_("Federführende Länder"),
        queryset=State.objects.order_by("name_de"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=_CHECK),
    )
    co_sponsor_states = _IdsChoiceField(
        label=_("Mitantragstellende Länder"),
        queryset=State.objects.order_by("name_de"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=_CHECK),
    )
    lead_note = forms.CharField(
        label=_("Federführung (Freitext, z. B. „federführend: Bayern“)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "kern-form-input__input"}),
    )
    topics = _IdsChoiceField(
        label=_("Themen"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=_CHECK),
    )
    public = forms.BooleanField(
        label=_("öffentlicher Tagesordnungspunkt"),
        required=False,
        widget=forms.CheckboxInput(_CHECK),
    )
    in_parliamentary_procedure = forms.BooleanField(
        label=_("im parlamentarischen Verfahren (kein inhaltlicher Beschluss)"),
        required=False,
        widget=forms.CheckboxInput(_CHECK),
    )
    touches_it_planungsrat = forms.BooleanField(
        label=_("Bezug zum IT-Planungsrat (dessen Kontaktperson wird als Gast eingeladen)"),
        required=False,
        widget=forms.CheckboxInput(_CHECK),
    )
    institutional = forms.BooleanField(
        label=_("institutionelle Angelegenheit (Einstimmigkeit)"),
        required=False,
        widget=forms.CheckboxInput(_CHECK),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        both = lead_and_co_sponsor(cleaned.get("lead_states"), cleaned.get("co_sponsor_states"))
        if both:
            self.add_error("co_sponsor_states", both_roles_message(both))
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        mark_errors(self)


class RescheduleForm(_WhenAndWhereForm):
    """New date, time and place of a meeting not yet held (issue 5 item 5). The past-date
    rule is checked by ``meeting_reschedule``."""

    field_order = [
        "start_date",
        "end_date",
        "start_time",
        "end_time",
        "place",
        "venue",
        "video_url",
    ]

    start_time = forms.TimeField(
        label=_("Beginn (Uhrzeit)"),
        required=False,
        help_text=_(
            "Berliner Zeit. Eine Uhrzeit, die es in der Nacht der Zeitumstellung im Herbst "
            "zweimal gibt, gilt beim ersten Mal (noch Sommerzeit)."
        ),
        widget=forms.TimeInput(attrs={"class": "kern-form-input__input", "type": "time"}),
        error_messages={"invalid": _("Bitte geben Sie eine gültige Uhrzeit an.")},
    )
    end_time = forms.TimeField(
        label=_("Ende (Uhrzeit)"),
        required=False,
        widget=forms.TimeInput(attrs={"class": "kern-form-input__input", "type": "time"}),
        error_messages={"invalid": _("Bitte geben Sie eine gültige Uhrzeit an.")},
    )

    def clean(self) -> dict:
        """Times are Europe/Berlin wall-clock times (issue 18 item 4): one the spring clock
        change skips is refused; one the autumn change repeats means its first occurrence
        (``dmk.meetings.rules.berlin_datetime``)."""
        data = super().clean()
        start_date = data.get("start_date")
        for field, day in (("start_time", start_date), ("end_time", data.get("end_date"))):
            day = day or start_date
            time = data.get(field)
            if day is not None and time is not None:
                try:
                    berlin_datetime(day, time)
                except NonexistentLocalTime as exc:
                    self.add_error(field, exc.message)
        return data


def mark_errors(form: forms.Form) -> None:
    """Point each erroneous widget to its message (``aria-describedby``, WCAG 3.3.1)."""
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs["aria-describedby"] = f"{name}-error"
            form.fields[name].widget.attrs["aria-invalid"] = "true"
