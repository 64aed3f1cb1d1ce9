"""Back office ``/verwaltung/`` (issue 3 item 9): Wagtail viewsets for persons,
organisations, memberships and chair periods, with filters and search. The membership rules
of issue 3 item 2 surface as form errors through ``Membership.clean()`` and the model
constraints. Registered in ``dmk.bodies.wagtail_hooks``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from dmk.bodies.forms import ChairRotationField
from dmk.bodies.models import Body, ChairPeriod, Membership, Organization, Person
from dmk.core.backoffice import BodyScopedViewSet


class PersonViewSet(ModelViewSet):
    name = "personen"
    model = Person
    icon = "user"
    menu_label = _("Personen")
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["family_name", "given_name", "function", "state", "email"]
    list_filter = ["state"]
    search_fields = ["family_name", "given_name", "email", "function", "ministry"]
    form_fields = [
        "user",
        "form_of_address",
        "title",
        "given_name",
        "family_name",
        "state",
        *Person.CONTACT_FIELDS[2:],
    ]


class OrganizationViewSet(BodyScopedViewSet):
    name = "gremien"
    model = Organization
    icon = "group"
    menu_label = _("Gremien")
    copy_view_enabled = False
    list_display = ["name", "short_name", "kind", "start_date", "end_date"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "mandate"]
    form_fields = ["body", "name", "short_name", "kind", "mandate", "start_date", "end_date"]


class MembershipViewSet(BodyScopedViewSet):
    name = "mitgliedschaften"
    model = Membership
    icon = "tag"
    menu_label = _("Mitgliedschaften")
    copy_view_enabled = False
    list_display = ["person", "role", "organization", "on_behalf_of", "chair_period", "end_date"]
    list_filter = ["role", "organization", "on_behalf_of", "chair_period"]
    search_fields = ["person__family_name", "person__given_name"]
    form_fields = [
        "person",
        "organization",
        "role",
        "on_behalf_of",
        "chair_period",
        "meeting",
        "start_date",
        "end_date",
    ]


class ChairPeriodViewSet(BodyScopedViewSet):
    name = "vorsitzperioden"
    model = ChairPeriod
    icon = "date"
    menu_label = _("Vorsitzperioden")
    copy_view_enabled = False
    list_display = ["__str__", "chair_names", "start_date", "end_date", "leitthema"]
    list_filter = ["chairs"]
    search_fields = ["leitthema", "notes"]
    form_fields = ["body", "start_date", "end_date", "chairs", "leitthema", "notes"]


class BodyViewSet(BodyScopedViewSet):
    """The conference and its rule set, including the chair rotation order (issue 3 item 4)."""

    name = "konferenzen"
    model = Body
    icon = "cog"
    menu_label = _("Konferenz und Regeln")
    copy_view_enabled = False
    list_display = ["short_name", "name"]
    search_fields = ["short_name", "name"]
    form_fields = [
        "short_name",
        "name",
        "name_en",
        "website",
        "founded_on",
        "abstention_breaks_unanimity",
        "invitation_weeks",
        "registration_weeks",
        "papers_weeks",
        "written_procedure_days",
        "minutes_comment_days",
        "resolution_number_format",
        "chair_rotation",
    ]

    def formfield_for_dbfield(self, db_field, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "chair_rotation":
            return ChairRotationField(
                label=db_field.verbose_name, help_text=db_field.help_text, required=False
            )
        if db_field.name == "website":
            kwargs["assume_scheme"] = "https"  # Django 6 default, without the warning
        return super().formfield_for_dbfield(db_field, **kwargs)


class OrganisationViewSetGroup(ViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "group"
    menu_order = 200
    items = (
        PersonViewSet,
        OrganizationViewSet,
        MembershipViewSet,
        ChairPeriodViewSet,
        BodyViewSet,
    )
