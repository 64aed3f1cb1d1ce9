"""Fixtures of the resolution tests, built with factories (fast; no public record): the 16
Länder with a meeting where all are present, and a small world of two Länder, a working
group, a public and a draft resolution and one user per role for the follow-up tests."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dmk.bodies.models import MembershipRole, Organization
from dmk.core.enums import Visibility
from dmk.meetings.models import Attendance
from dmk.resolutions.models import Resolution
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    StateFactory,
    UserFactory,
    user_with_role,
)
from tests.helpers import secretariat_user

#: The date of the resolutions of the ``world`` fixture (a Thursday).
DECIDED = datetime.date(2026, 3, 12)

LAENDER = [
    ("DE-BW", "Baden-Württemberg"),
    ("DE-BY", "Bayern"),
    ("DE-BE", "Berlin"),
    ("DE-BB", "Brandenburg"),
    ("DE-HB", "Bremen"),
    ("DE-HH", "Hamburg"),
    ("DE-HE", "Hessen"),
    ("DE-MV", "Mecklenburg-Vorpommern"),
    ("DE-NI", "Niedersachsen"),
    ("DE-NW", "Nordrhein-Westfalen"),
    ("DE-RP", "Rheinland-Pfalz"),
    ("DE-SL", "Saarland"),
    ("DE-SN", "Sachsen"),
    ("DE-ST", "Sachsen-Anhalt"),
    ("DE-SH", "Schleswig-Holstein"),
    ("DE-TH", "Thüringen"),
]


@pytest.fixture
def laender(db):
    """The 16 Länder by code (real codes and German names)."""
    return {code: StateFactory(code=code, name_de=name) for code, name in LAENDER}


@pytest.fixture
def secretariat(db):
    return secretariat_user(email="gs@dmk.example")


@pytest.fixture
def session(laender, secretariat):
    """A DMK meeting with one decision item, all 16 Länder present."""
    body = BodyFactory()
    # held today: ballots open only from the meeting day on (issue 6 newcomer report item 3)
    meeting = MeetingFactory(body=body, slug="sitzung-beschluss", start_date=timezone.localdate())
    item = AgendaItemFactory(meeting=meeting, title="Föderale Cloud")
    for state in laender.values():
        Attendance.objects.create(meeting=meeting, state=state, present=True)
    return meeting, item


@pytest.fixture
def world(db) -> dict:
    """Two Länder, a working group, a public and a draft resolution, and users."""
    body = BodyFactory()
    bayern = StateFactory(code="DE-BY", name_de="Bayern")
    berlin = StateFactory(code="DE-BE", name_de="Berlin")
    group = OrganizationFactory(
        body=body, name="AG Digitale Souveränität", kind=Organization.Kind.WORKING_GROUP
    )
    meeting = MeetingFactory(body=body, start_date=DECIDED)

    def resolution(slug: str, visibility: str) -> Resolution:
        return Resolution.objects.create(
            body=body,
            meeting=meeting,
            slug=slug,
            number=f"DMK 2026/{slug}",
            title=f"Beschluss {slug}",
            decided_on=DECIDED,
            visibility=visibility,
        )

    ag_member = UserFactory(email="ag@land.example")
    MembershipFactory(person=PersonFactory(user=ag_member), organization=group, on_behalf_of=berlin)
    return {
        "body": body,
        "bayern": bayern,
        "berlin": berlin,
        "group": group,
        "public": resolution("01", Visibility.PUBLIC),
        "draft": resolution("02", Visibility.DRAFT),
        "secretariat": secretariat_user(email="gs@dmk.example"),
        "member_by": user_with_role(MembershipRole.MEMBER, bayern, email="by@land.example"),
        "staff_by": user_with_role(MembershipRole.STATE_STAFF, bayern, email="st@land.example"),
        "member_be": user_with_role(MembershipRole.MEMBER, berlin, email="be@land.example"),
        "guest": user_with_role(MembershipRole.GUEST, None, email="gast@bund.example"),
        "ag_member": ag_member,
    }


def new_followup_form(world, **fields) -> dict:
    """The fields of the "Neuen Auftrag anlegen" form (and of the back office's add form):
    a follow-up of the public resolution for the working group, ``fields`` overriding."""
    return {
        "resolution": world["public"].pk,
        "task": "Leitfaden erarbeiten",
        "organization": world["group"].pk,
        "state": "",
        "due_date": "2026-12-31",
        **fields,
    }
