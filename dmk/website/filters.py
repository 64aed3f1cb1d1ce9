"""The filter form of the public resolution archive (issue 7 item 2)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import State, Topic
from dmk.meetings.models import Meeting

ALL = [("", _("alle"))]


class ResolutionFilterForm(forms.Form):
    """GET filters ``jahr``, ``sitzung`` (meeting slug), ``thema`` (topic slug), ``land``
    (Land code). Choices come from the rows the user may see; unknown values give a German
    form error and that filter is ignored."""

    jahr = forms.TypedChoiceField(label=_("Jahr"), required=False, coerce=int, empty_value=None)
    sitzung = forms.ChoiceField(label=_("Sitzung"), required=False)
    thema = forms.ChoiceField(label=_("Thema"), required=False)
    land = forms.ChoiceField(label=_("Land (Initiative)"), required=False)

    def __init__(self, data: Any, *, resolutions: QuerySet[Any], meetings: QuerySet[Meeting]):
        super().__init__(data)
        # the years from one aggregate (DISTINCT over the truncated dates), not from every row
        years = [
            day.year
            for day in resolutions.prefetch_related(None).dates("decided_on", "year", order="DESC")
        ]
        self.fields["jahr"].choices = ALL + [(str(y), str(y)) for y in years]
        self.fields["sitzung"].choices = ALL + [(m.slug, m.name) for m in meetings]
        self.fields["thema"].choices = ALL + [(t.slug, t.name) for t in Topic.objects.all()]
        self.fields["land"].choices = ALL + [(s.code, s.name) for s in State.objects.all()]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _(
                "Diese Auswahl gibt es nicht; der Filter wird nicht angewandt."
            )
            field.widget.attrs["class"] = "kern-form-input__select"

    def apply(self, resolutions: QuerySet[Any]) -> QuerySet[Any]:
        """``resolutions`` narrowed by the valid filters."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("jahr"):
            resolutions = resolutions.filter(decided_on__year=data["jahr"])
        if data.get("sitzung"):
            resolutions = resolutions.filter(meeting__slug=data["sitzung"])
        if data.get("thema"):
            resolutions = resolutions.filter(topics__slug=data["thema"])
        if data.get("land"):
            resolutions = resolutions.filter(initiating_states__code=data["land"])
        return resolutions.distinct()
