"""The filter form of the public resolution archive (issue 7 item 2)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import State, Topic
from dmk.core.widgets import ListSelect, PlainChoices
from dmk.meetings.models import Meeting
from dmk.resolutions.selectors import decision_years

ALL = [("", _("alle"))]
#: How many meetings the "Sitzung" select offers without a chosen year.
MEETING_CHOICES = 30


class ResolutionFilterForm(forms.Form):
    """GET filters ``jahr``, ``sitzung`` (meeting slug), ``thema`` (topic slug), ``land``
    (Land code). Choices come from the rows the user may see; unknown values give a German
    form error and that filter is ignored."""

    jahr = forms.TypedChoiceField(
        label=_("Jahr"), required=False, coerce=int, empty_value=None, widget=ListSelect
    )
    sitzung = forms.ChoiceField(label=_("Sitzung"), required=False, widget=ListSelect)
    thema = forms.ChoiceField(label=_("Thema"), required=False, widget=ListSelect)
    land = forms.ChoiceField(label=_("Land (Initiative)"), required=False, widget=ListSelect)

    def __init__(self, data: Any, *, resolutions: QuerySet[Any], meetings: QuerySet[Meeting]):
        super().__init__(data)
        # the years from one query that reads an index entry per year, not every row
        years = decision_years(resolutions)
        self.fields["jahr"].choices = PlainChoices(ALL + [(str(y), str(y)) for y in years])
        self.fields["sitzung"].choices = PlainChoices(
            ALL + self._meeting_choices(meetings, resolutions, years)
        )
        self.fields["thema"].choices = PlainChoices(
            ALL + [(t.slug, t.name) for t in Topic.objects.all()]
        )
        self.fields["land"].choices = PlainChoices(
            ALL + [(s.code, s.name) for s in State.objects.all()]
        )
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _(
                "Diese Auswahl gibt es nicht; der Filter wird nicht angewandt."
            )
            field.widget.attrs["class"] = "kern-form-input__select"

    def _meeting_choices(
        self, meetings: QuerySet[Meeting], resolutions: QuerySet[Any], years: list[int]
    ) -> list[tuple[str, str]]:
        """``(slug, name)`` of the meetings offered: those held in the chosen year or with
        resolutions of that year, else the
        :data:`MEETING_CHOICES` most recent (upcoming first, as ``meeting_list`` orders them),
        plus the meeting asked for by ``sitzung`` wherever it lies (a link into the archive
        keeps working). Slug and name only: no model rows (issue 17 item 1) — a select of
        every meeting ever held would weigh 35 KB at 500 meetings and burden a screen
        reader; the hint tells how to reach the older ones."""
        pairs = meetings.select_related(None).prefetch_related(None).values_list("slug", "name")
        data = self.data or {}
        year = str(data.get("jahr") or "")
        if year.isdigit() and int(year) in years:
            of_year = resolutions.filter(decided_on__year=int(year)).values("meeting_id")
            offered = list(pairs.filter(Q(start_date__year=int(year)) | Q(pk__in=of_year)))
        else:
            offered = list(pairs[: MEETING_CHOICES + 1])
            if len(offered) > MEETING_CHOICES:
                offered = offered[:MEETING_CHOICES]
                self.fields["sitzung"].help_text = _(
                    "Die letzten %(count)d Sitzungen; ältere finden Sie nach Wahl des Jahres."
                ) % {"count": MEETING_CHOICES}
        wanted = str(data.get("sitzung") or "")
        if wanted and wanted not in {slug for slug, _name in offered}:
            offered += list(pairs.filter(slug=wanted))
        return offered

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
