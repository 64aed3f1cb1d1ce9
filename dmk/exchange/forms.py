"""Forms of the data exchange platform (issue 14). They parse and re-show input; the rules
live in ``services`` and ``statements``."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import State
from dmk.exchange.models import StatementAnswer, WorkspaceRole


class KernForm(forms.Form):
    """Gives every text, date, file and select widget its KERN UX class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            css = (
                "kern-form-input__select"
                if isinstance(widget, forms.Select)
                else "kern-form-input__input"
            )
            widget.attrs.setdefault("class", css)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(KernForm):
    files = MultipleFileField(
        label=_("Dateien"),
        help_text=_(
            "Sie können mehrere Dateien auswählen. Eine Datei gleichen Namens wird als neue "
            "Version gespeichert; die bisherigen Versionen bleiben erhalten."
        ),
    )


class FolderForm(KernForm):
    name = forms.CharField(label=_("Name des neuen Ordners"), max_length=200)


class RenameForm(KernForm):
    name = forms.CharField(label=_("Neuer Name"), max_length=255)


class MoveForm(KernForm):
    target = forms.TypedChoiceField(label=_("Verschieben nach"), coerce=int, empty_value=0)

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(0, _("oberste Ebene")), *choices]


class WorkspaceForm(KernForm):
    name = forms.CharField(label=_("Name des Bereichs"), max_length=200)
    description = forms.CharField(
        label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    states = forms.ModelMultipleChoiceField(
        label=_("Länder"),
        queryset=State.objects.order_by("name_de"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    role = forms.TypedChoiceField(
        label=_("Rolle der Länder"),
        choices=[(WorkspaceRole.READ, _("lesen")), (WorkspaceRole.WRITE, _("schreiben"))],
        coerce=int,
        initial=WorkspaceRole.WRITE,
    )


class StatementForm(KernForm):
    title = forms.CharField(label=_("Titel"), max_length=300)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))
    author_state = forms.ModelChoiceField(
        label=_("federführendes Land"), queryset=State.objects.none(), required=False
    )

    def __init__(self, *args, states=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author_state"].queryset = (
            states if states is not None else State.objects.none()
        )


class StatementOpenForm(KernForm):
    states = forms.ModelMultipleChoiceField(
        label=_("Eingeladene Länder"),
        queryset=State.objects.order_by("name_de"),
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(
        label=_("Beitritt möglich bis (einschließlich)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=lambda: timezone.localdate() + datetime.timedelta(days=14),
    )


class StatementAnswerForm(KernForm):
    state = forms.ModelChoiceField(label=_("für das Land"), queryset=State.objects.none())
    answer = forms.ChoiceField(
        label=_("Antwort"),
        choices=[
            (StatementAnswer.JOINED, _("beitreten")),
            (StatementAnswer.JOINED_WITH_NOTE, _("mit Anmerkung beitreten")),
            (StatementAnswer.DECLINED, _("nicht beitreten")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anmerkung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, states=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].queryset = states if states is not None else State.objects.none()
