"""Forms of the follow-up page ``/intern/nachverfolgung/`` (issue 6 item 6): they parse
input; the services in ``dmk.resolutions.services`` decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import Organization, State
from dmk.resolutions.models import FollowUpStatus, Resolution

#: Kinds of organisation that can own a follow-up: the conference's own bodies.
OWNER_KINDS = (
    Organization.Kind.PLENARY,
    Organization.Kind.WORKING_GROUP,
    Organization.Kind.COMMUNITY_OF_PRACTICE,
    Organization.Kind.AGILE_CIRCLE,
    Organization.Kind.SECRETARIAT,
)


class FollowUpFilterForm(forms.Form):
    """GET filters: ``land`` (Land code), ``status`` (a ``FollowUpStatus`` value),
    ``ueberfaellig`` (only overdue ones). Unknown values give a German form error and that
    filter is ignored."""

    land = forms.ModelChoiceField(
        queryset=State.objects.order_by("name_de"),
        to_field_name="code",
        required=False,
        label=_("Land"),
        empty_label=_("alle Länder"),
    )
    status = forms.ChoiceField(
        choices=[("", _("alle")), *FollowUpStatus.choices],
        required=False,
        label=_("Status"),
    )
    ueberfaellig = forms.BooleanField(required=False, label=_("nur überfällige Aufträge"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("land", "status"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Diese Auswahl gibt es nicht; der Filter wird nicht angewandt."
            )
            self.fields[name].widget.attrs["class"] = "kern-form-input__select"
        self.fields["ueberfaellig"].widget.attrs["class"] = "kern-form-check__checkbox"

    def filters(self) -> dict[str, Any]:
        """The valid filters as keyword arguments of ``followup_list``; invalid ones left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "state": data.get("land"),
            "status": data.get("status") or "",
            "overdue": bool(data.get("ueberfaellig")),
        }


class FollowUpCreateForm(forms.Form):
    """A new follow-up of a resolution, given by the Geschäftsstelle (exactly one owner)."""

    resolution = forms.ModelChoiceField(queryset=Resolution.objects.none(), label=_("Beschluss"))
    task = forms.CharField(
        label=_("Auftrag"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "kern-form-input__input"}),
        help_text=_("Was ist zu tun? Reiner Text."),
    )
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.filter(kind__in=OWNER_KINDS).order_by("sort_key", "pk"),
        required=False,
        label=_("zuständiges Gremium"),
        empty_label=_("– kein Gremium –"),
        help_text=_("Entweder ein Gremium oder ein Land, nicht beides."),
    )
    state = forms.ModelChoiceField(
        queryset=State.objects.order_by("name_de"),
        required=False,
        label=_("zuständiges Land"),
        empty_label=_("– kein Land –"),
    )
    due_date = forms.DateField(
        label=_("fällig am"),
        widget=forms.DateInput(attrs={"type": "date", "class": "kern-form-input__input"}),
    )

    def __init__(self, *args: Any, resolutions: QuerySet[Resolution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resolution"].queryset = resolutions
        self.fields["resolution"].label_from_instance = lambda r: (
            f"{r.number} – {r.title}" if r.number else r.title
        )
        for name in ("resolution", "organization", "state"):
            self.fields[name].widget.attrs["class"] = "kern-form-input__select"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("organization") is None) == (data.get("state") is None):
            self.add_error(
                "organization",
                _("Bitte wählen Sie genau eine zuständige Stelle: ein Gremium oder ein Land."),
            )
        return data


class FollowUpStatusForm(forms.Form):
    """The status and progress note of one follow-up (prefix ``auftrag-<pk>``)."""

    status = forms.ChoiceField(choices=FollowUpStatus.choices, label=_("Status"))
    note = forms.CharField(
        label=_("Sachstand"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "kern-form-input__input"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.attrs["class"] = "kern-form-input__select"
