"""Portal forms for meetings (German labels; the services check again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import State
from dmk.meetings.models import AttendanceRole


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
