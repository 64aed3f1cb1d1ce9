"""Forms of the organisation (issue 3): the rules of item 2 surface as German form errors
through ``Membership.clean()`` and the model constraints' messages."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import Membership, MembershipRole, Person


class MembershipForm(forms.ModelForm):
    """Create or change a membership (back office and tests)."""

    class Meta:
        model = Membership
        fields = [
            "person",
            "organization",
            "role",
            "on_behalf_of",
            "chair_period",
            "meeting",
            "start_date",
            "end_date",
        ]


class NominationForm(forms.Form):
    """Name the member or the permanent deputy of one Land (DOMAIN rule 10).

    ``persons`` limits the choice (the Land's people); the role is member or permanent deputy.
    """

    role = forms.ChoiceField(
        label=_("Rolle"),
        choices=[
            (MembershipRole.MEMBER, MembershipRole.MEMBER.label),
            (MembershipRole.PERMANENT_DEPUTY, MembershipRole.PERMANENT_DEPUTY.label),
        ],
    )
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())

    def __init__(self, *args: object, persons: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].queryset = persons  # type: ignore[attr-defined]


class ContactForm(forms.ModelForm):
    """Self-service: a person's own contact details and, per field, who may see it (issue 3
    item 6): a ticked field is seen only by the Geschäftsstelle, the others by all internal
    users."""

    restricted_fields = forms.MultipleChoiceField(
        label=_("Nur für die Geschäftsstelle sichtbar"),
        help_text=_(
            "Angekreuzte Angaben sieht nur die Geschäftsstelle. Alle anderen Angaben sehen "
            "alle internen Nutzerinnen und Nutzer des Portals."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (name, Person._meta.get_field(name).verbose_name) for name in Person.RESTRICTABLE_FIELDS
        ],
    )

    class Meta:
        model = Person
        fields = [*Person.CONTACT_FIELDS, "restricted_fields"]


class ChairRotationField(forms.CharField):
    """``Body.chair_rotation`` in the back office: Länder codes in rotation order, separated
    by commas, spaces or line breaks (``"DE-HH, DE-BY"``), as a list of upper-case codes.
    Shape and duplicates are checked by ``validate_chair_rotation``, unknown Länder by
    ``Body.clean`` (issue 3 item 4)."""

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list):
            return ", ".join(str(code) for code in value)
        return value

    def to_python(self, value: object) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [code.upper() for code in re.split(r"[\s,;]+", text) if code]
