"""Fixtures of the data exchange tests (issue 14): one body with its plenary and a working
group, two Länder, people in every role, a temporary MEDIA_ROOT and small real files."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import pytest

from dmk.bodies.models import Membership, MembershipRole, Organization
from dmk.exchange import services
from tests.factories import (
    BodyFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    StateFactory,
    UserFactory,
)
from tests.helpers import secretariat_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes(text: str = "Hallo") -> bytes:
    buffer = io.BytesIO()
    stamp = (2026, 12, 4, 12, 0, 0)  # fixed, so that equal text gives equal bytes
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("[Content_Types].xml", stamp),
            '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            zipfile.ZipInfo("word/document.xml", stamp), f"<w:document>{text}</w:document>"
        )
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class World:
    body: object
    plenary: object
    ag: object
    land_a: object
    land_b: object
    secretariat: object
    member_a: object
    member_b: object
    staff_a: object
    ag_member: object
    ag_guest: object
    guest: object
    outsider: object


def _member(org, role, state=None, **kwargs):
    user = UserFactory(**kwargs)
    person = PersonFactory(user=user, state=state)
    Membership.objects.create(person=person, organization=org, role=role, on_behalf_of=state)
    return user


@pytest.fixture
def world(db) -> World:
    body = BodyFactory()
    plenary = OrganizationFactory(body=body)
    ag = OrganizationFactory(
        body=body, name="AG Registermodernisierung", kind=Organization.Kind.WORKING_GROUP
    )
    land_a = StateFactory(code="DE-HB", name_de="Bremen")
    land_b = StateFactory(code="DE-SL", name_de="Saarland")
    gs = secretariat_user()
    return World(
        body=body,
        plenary=plenary,
        ag=ag,
        land_a=land_a,
        land_b=land_b,
        secretariat=gs,
        member_a=_member(plenary, MembershipRole.MEMBER, land_a),
        member_b=_member(plenary, MembershipRole.MEMBER, land_b),
        staff_a=_member(plenary, MembershipRole.STATE_STAFF, land_a),
        ag_member=_member(ag, MembershipRole.MEMBER, land_b),
        ag_guest=_member(ag, MembershipRole.GUEST),
        guest=_member(plenary, MembershipRole.GUEST),
        outsider=UserFactory(),
    )


@pytest.fixture
def body_ws(world):
    return services.workspace_for_body(body=world.body)


@pytest.fixture
def ag_ws(world):
    return services.workspace_for_organization(organization=world.ag)


@pytest.fixture
def meeting_ws(world):
    meeting = MeetingFactory(body=world.body, organization=world.plenary)
    return services.workspace_for_meeting(meeting=meeting)


@pytest.fixture
def adhoc_ws(world):
    return services.workspace_create_adhoc(
        actor=world.secretariat,
        body=world.body,
        name="Gemeinsame Länderposition KI",
        states=[world.land_a],
    )
