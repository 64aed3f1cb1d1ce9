"""factory_boy factories shared by the suite. Extend here; keep one factory per model."""

from __future__ import annotations

import datetime

import factory
from allauth.mfa.models import Authenticator
from django.utils import timezone

from dmk.accounts.models import User
from dmk.bodies.models import (
    Body,
    ChairPeriod,
    Membership,
    MembershipRole,
    Organization,
    Person,
    State,
)

PASSWORD = "korrekt-Pferd-Batterie-42"


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("short_name",)

    short_name = "DMK"
    name = "Digitalministerkonferenz"


class StateFactory(factory.django.DjangoModelFactory):
    """A Land; pass ``code`` and ``name_de`` for a real one (get-or-create by code)."""

    class Meta:
        model = State
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"DE-{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    name_de = factory.Sequence(lambda n: f"Land {n}")
    name_en = factory.LazyAttribute(lambda o: o.name_de)


class ChairPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChairPeriod
        django_get_or_create = ("body", "start_date")

    body = factory.SubFactory(BodyFactory)
    # the calendar year of today (Europe/Berlin): memberships of the default period are in
    # office whenever the suite runs (DOMAIN rule 1 asks for the current chair period)
    start_date = factory.LazyFunction(lambda: timezone.localdate().replace(month=1, day=1))
    end_date = factory.LazyFunction(lambda: timezone.localdate().replace(month=12, day=31))


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("body", "name")

    body = factory.SubFactory(BodyFactory)
    name = "Digitalministerkonferenz (Plenum)"
    kind = Organization.Kind.PLENARY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@land.example")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Muster{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    given_name = factory.LazyAttribute(lambda o: o.user.first_name if o.user else "Max")
    family_name = factory.LazyAttribute(lambda o: o.user.last_name if o.user else "Muster")
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = MembershipRole.MEMBER
    on_behalf_of = factory.SubFactory(StateFactory)
    chair_period = factory.SubFactory(ChairPeriodFactory)


def user_with_role(role: MembershipRole, state: State | None = None, **user_kwargs) -> User:
    """A user whose person holds ``role`` (for ``state`` where the role acts for a Land)."""
    user = UserFactory(**user_kwargs)
    person = PersonFactory(user=user, state=state)
    MembershipFactory(person=person, role=role, on_behalf_of=state)
    return user


def give_totp(user: User) -> str:
    """Activate TOTP for ``user``; returns the base32 secret (for ``allauth.mfa`` codes)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return secret


# --- issue 5: meetings and papers ------------------------------------------------------------


class MeetingFactory(factory.django.DjangoModelFactory):
    """A scheduled regular meeting of the plenary in the future (no ordinal unless given)."""

    class Meta:
        model = "meetings.Meeting"

    body = factory.SubFactory(BodyFactory)
    organization = factory.SubFactory(OrganizationFactory)
    kind = "regular"
    name = factory.Sequence(lambda n: f"Testsitzung {n}")
    slug = factory.Sequence(lambda n: f"testsitzung-{n}")
    state = "scheduled"
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(weeks=8))
    place = "Hamburg"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.AgendaItem"

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: str(o.order))
    title = factory.Sequence(lambda n: f"Tagesordnungspunkt {n}")


class PaperFactory(factory.django.DjangoModelFactory):
    """A draft paper of a Land."""

    class Meta:
        model = "papers.Paper"

    body = factory.SubFactory(BodyFactory)
    slug = factory.Sequence(lambda n: f"vorlage-{n}")
    title = factory.Sequence(lambda n: f"Vorlage {n}")
    paper_type = "proposal"
    visibility = "draft"
    author_state = factory.SubFactory(StateFactory)
