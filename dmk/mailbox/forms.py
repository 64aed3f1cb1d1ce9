"""Forms of the mailbox pages (issue 15): parse and validate only; the views call services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from dmk.access.policy import assignable_users
from dmk.bodies.models import State
from dmk.mailbox.models import Conversation, ConversationState, TextModule
from dmk.meetings.models import Meeting
from dmk.papers.models import Paper


class _Styled:
    def _style(self) -> None:
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            field.error_messages["required"] = _("Bitte füllen Sie dieses Feld aus.")
            if isinstance(field.widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = "kern-form-check__input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "kern-form-input__select"
            else:
                field.widget.attrs["class"] = "kern-form-input__input"
            if self.is_bound and name in self.errors:  # type: ignore[attr-defined]
                field.widget.attrs["aria-invalid"] = "true"


class InboxFilterForm(forms.Form, _Styled):
    """GET filters of the inbox: state, "mine", unassigned, tag and a plain search text."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("alle offenen")), ("alle", _("alle")), *ConversationState.choices],
    )
    suche = forms.CharField(label=_("Suche"), required=False, max_length=200)
    meine = forms.BooleanField(label=_("nur meine"), required=False)
    offen = forms.BooleanField(label=_("nicht zugewiesen"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suche"].widget.attrs["type"] = "search"
        self._style()

    def filters(self, user: Any) -> dict[str, Any]:
        """Keyword arguments for ``selectors.conversation_list`` (invalid input: no filter)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        status = data.get("status", "")
        result: dict[str, Any] = {"query": data.get("suche", "")}
        if status in ConversationState.values:
            result["state"] = status
        elif status != "alle":
            result["exclude_done"] = True
        if data.get("meine"):
            result["assignee"] = user
        if data.get("offen"):
            result["unassigned"] = True
        return result


class ConversationForm(forms.Form, _Styled):
    """State, assignee, links and tags of a conversation (issue 15 item 2)."""

    state = forms.ChoiceField(label=_("Status"), choices=ConversationState.choices)
    assignee = forms.ModelChoiceField(
        label=_("zuständig"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("niemand"),
    )
    meeting = forms.ModelChoiceField(
        label=_("Sitzung"), queryset=Meeting.objects.none(), required=False, empty_label="–"
    )
    paper = forms.ModelChoiceField(
        label=_("Vorlage"), queryset=Paper.objects.none(), required=False, empty_label="–"
    )
    land = forms.ModelChoiceField(
        label=_("Land"), queryset=State.objects.all(), required=False, empty_label="–"
    )
    tags = forms.CharField(
        label=_("Schlagwörter"),
        required=False,
        max_length=500,
        help_text=_("Durch Kommas getrennt."),
    )

    def __init__(self, *args: Any, conversation: Conversation, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "state": conversation.state,
                "assignee": conversation.assignee_id,
                "meeting": conversation.meeting_id,
                "paper": conversation.paper_id,
                "land": conversation.land_id,
                "tags": ", ".join(t.name for t in conversation.tags.all()),
            },
        )
        super().__init__(*args, **kwargs)
        body = conversation.mailbox.body
        self.fields["assignee"].queryset = assignable_users(
            conversation.mailbox, get_user_model().objects.all()
        ).order_by("last_name", "first_name")
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.email
        self.fields["meeting"].queryset = Meeting.objects.filter(body=body).order_by("-start_date")
        self.fields["paper"].queryset = Paper.objects.filter(body=body).order_by("-pk")
        self._style()

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags", "")
        names = [" ".join(t.split()) for t in raw.split(",")]
        if any(len(n) > 50 for n in names):
            raise forms.ValidationError(_("Ein Schlagwort hat höchstens 50 Zeichen."))
        return [n for n in names if n]


class ReplyForm(forms.Form, _Styled):
    """A reply: text, optionally from a text module, with attachments (issue 15 item 3)."""

    text_module = forms.ModelChoiceField(
        label=_("Textbaustein"),
        queryset=TextModule.objects.none(),
        required=False,
        empty_label="–",
    )
    text = forms.CharField(
        label=_("Antwort"), max_length=50000, widget=forms.Textarea(attrs={"rows": 10})
    )
    attachments = forms.MultipleChoiceField(
        label=_("Anhänge aus diesem Vorgang"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    upload = forms.FileField(
        label=_("Datei anhängen"),
        required=False,
        help_text=_("PDF, DOCX, ODT oder XLSX, höchstens 20 MB."),
    )

    def __init__(self, *args: Any, conversation: Conversation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text_module"].queryset = TextModule.objects.filter(
            mailbox=conversation.mailbox
        )
        kept = [
            (str(a.pk), a.filename)
            for m in conversation.messages.all()
            for a in m.attachments.all()
            if a.file and not a.refused
        ]
        self.fields["attachments"].choices = kept
        if not kept:
            del self.fields["attachments"]
        self._style()


class NoteForm(forms.Form, _Styled):
    text = forms.CharField(
        label=_("Interne Notiz"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()
