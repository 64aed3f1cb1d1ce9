"""Portal forms for papers (German labels; checks are repeated in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import State
from dmk.meetings.models import Meeting
from dmk.papers.files import MAX_FILE_SIZE
from dmk.papers.models import PaperType

_INPUT = {"class": "kern-form-input__input"}
_SELECT = {"class": "kern-form-input__select"}
_TEXTAREA = {"class": "kern-form-input__input", "rows": 8}


class KernForm(forms.Form):
    """Adds ``aria-describedby`` and ``aria-invalid`` to fields with errors (WCAG 3.3.1)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-describedby"] = f"{name}-error"
                attrs["aria-invalid"] = "true"


class PaperForm(KernForm):
    state = forms.ModelChoiceField(
        label=_("Einreichendes Land"),
        queryset=State.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs=_SELECT),
    )
    title = forms.CharField(label=_("Titel"), max_length=500, widget=forms.TextInput(_INPUT))
    paper_type = forms.ChoiceField(
        label=_("Art der Vorlage"), choices=PaperType.choices, widget=forms.Select(attrs=_SELECT)
    )
    text_source = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs=_TEXTAREA)
    )
    file = forms.FileField(
        label=_("Datei (PDF, DOCX, ODT oder XLSX, höchstens 20 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "kern-form-input__input"}),
        error_messages={"empty": _("Die Datei ist leer.")},
    )

    #: One-time token of a new draft's form (uuid4): a second submission of the same form
    #: returns the first draft (``paper_create``); absent when editing.
    submission_token = forms.UUIDField(
        label=_("Formular-Kennung"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("Das Formular ist ungültig. Bitte laden Sie die Seite neu."),
        },
    )

    def __init__(self, *args, states=None, with_state=True, with_file=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_state:  # a new draft
            self.fields["state"].queryset = states if states is not None else State.objects.none()
        else:  # editing: no Land to choose, no new draft to guard
            del self.fields["state"]
            del self.fields["submission_token"]
        if not with_file:
            del self.fields["file"]


class FileForm(KernForm):
    file = forms.FileField(
        label=_("Neue Version hochladen (PDF, DOCX, ODT oder XLSX, höchstens 20 MB)"),
        max_length=255,
        widget=forms.ClearableFileInput(attrs={"class": "kern-form-input__input"}),
        error_messages={
            "required": _("Bitte wählen Sie eine Datei aus."),
            "empty": _("Die Datei ist leer."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(_("Die Datei ist größer als 20 MB."))
        return upload


class SponsorForm(KernForm):
    state = forms.ModelChoiceField(
        label=_("Land als Mitantragsteller einladen"),
        queryset=State.objects.order_by("name_de"),
        widget=forms.Select(attrs=_SELECT),
        error_messages={"required": _("Bitte wählen Sie ein Land.")},
    )


class SubmitForm(KernForm):
    meeting = forms.ModelChoiceField(
        label=_("Für die Sitzung einreichen"),
        queryset=Meeting.objects.none(),
        widget=forms.Select(attrs=_SELECT),
        error_messages={"required": _("Bitte wählen Sie eine Sitzung.")},
    )

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meetings is not None:
            self.fields["meeting"].queryset = meetings
