"""Forms of the organisation (issue 3): the rules of item 2 surface as German form errors
through ``Membership.clean()`` and the model constraints' messages."""

from __future__ import annotations

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
    """Self-service: a person's own contact details (issue 3 item 6)."""

    class Meta:
        model = Person
        fields = list(Person.CONTACT_FIELDS)
