"""Forms of the session cockpit and the voting page: they parse input; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import State
from dmk.meetings.models import AgendaItem, Meeting
from dmk.voting.models import Choice


class VoteForm(forms.Form):
    """A Land's vote: yes, no or abstain, optionally under cabinet reservation (DOMAIN rule 6)."""

    state = forms.ModelChoiceField(queryset=State.objects.order_by("name_de"), label=_("Land"))
    choice = forms.ChoiceField(choices=Choice.choices, label=_("Stimme"), widget=forms.RadioSelect)
    cabinet_reservation = forms.BooleanField(label=_("unter Kabinettsvorbehalt"), required=False)


class TransferForm(forms.Form):
    """A vote transfer from one Land to another from an agenda item on (DOMAIN rule 4)."""

    from_state = forms.ModelChoiceField(
        queryset=State.objects.order_by("name_de"), label=_("übertragendes Land")
    )
    to_state = forms.ModelChoiceField(
        queryset=State.objects.order_by("name_de"), label=_("empfangendes Land")
    )
    from_agenda_item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), label=_("ab TOP"))

    def __init__(self, *args, meeting: Meeting, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_agenda_item"].queryset = meeting.agenda_items.order_by("order")


class ResolutionForm(forms.Form):
    """Title and text of a resolution adopted from a closed ballot."""

    title = forms.CharField(label=_("Titel des Beschlusses"), max_length=500)
    text_html = forms.CharField(
        label=_("Beschlusstext"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Erlaubt sind einfache Auszeichnungen wie Absätze, Listen und Hervorhebungen."),
    )


class DeclarationForm(forms.Form):
    """A Protokollerklärung of a Land (DOMAIN rule 6)."""

    state = forms.ModelChoiceField(queryset=State.objects.order_by("name_de"), label=_("Land"))
    text = forms.CharField(label=_("Protokollerklärung"), widget=forms.Textarea(attrs={"rows": 3}))


class WrittenProcedureForm(forms.Form):
    """Start of a written procedure (DOMAIN rule 8); the deadline defaults to the body's days."""

    title = forms.CharField(label=_("Titel"), max_length=500)
    text_html = forms.CharField(
        label=_("Beschlussvorschlag"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    deadline = forms.DateField(
        label=_("Frist (letzter Tag)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leer lassen für die Standardfrist der Konferenz."),
    )
