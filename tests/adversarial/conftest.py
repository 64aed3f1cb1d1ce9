"""Fixtures of the adversarial tests: two Länder (A = Bayern, B = Berlin), one user per role,
a draft paper of Land A with a stored file, and a temporary MEDIA_ROOT."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from dmk.accounts.models import User
from dmk.bodies.models import Body, MembershipRole, State
from dmk.papers import services as paper_services
from dmk.papers.models import Paper, PaperFile
from tests.factories import PaperFactory, user_with_role
from tests.helpers import login_with_second_factor, secretariat_user

DRAFT_TITLE = "Geheimer Entwurf Glasfaserkataster Bayern"
DRAFT_TEXT = "Vertraulicher Text über das Glasfaserkataster."
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class Cast:
    """The two Länder and one user per role of the attacks."""

    land_a: State
    land_b: State
    staff_a: User
    member_a: User
    member_b: User
    guest: User
    secretariat: User
    draft: Paper
    draft_file: PaperFile

    def client(self, who: str, *, second_factor: bool = True, csrf: bool = False) -> Client:
        client = Client(enforce_csrf_checks=csrf)
        if who == "anonymous":
            return client
        user = getattr(self, who)
        if second_factor:
            login_with_second_factor(client, user)
        else:
            client.force_login(user)
        return client


@pytest.fixture
def cast(public_record) -> Cast:
    land_a = State.objects.get(code="DE-BY")
    land_b = State.objects.get(code="DE-BE")
    member_a = user_with_role(MembershipRole.MEMBER, land_a, email="mitglied-by@land.example")
    draft = PaperFactory(
        body=Body.objects.get(short_name="DMK"),
        slug="geheimer-entwurf-glasfaserkataster",
        title=DRAFT_TITLE,
        text_source=DRAFT_TEXT,
        text_html=f"<p>{DRAFT_TEXT}</p>",
        author_state=land_a,
    )
    draft_file = paper_services.paper_file_add(
        actor=member_a, paper=draft, name="entwurf.pdf", stream=io.BytesIO(PDF)
    )
    return Cast(
        land_a=land_a,
        land_b=land_b,
        staff_a=user_with_role(MembershipRole.STATE_STAFF, land_a, email="staff-by@land.example"),
        member_a=member_a,
        member_b=user_with_role(MembershipRole.MEMBER, land_b, email="mitglied-be@land.example"),
        guest=user_with_role(MembershipRole.GUEST, None, email="gast@example.org"),
        secretariat=secretariat_user(email="gs@dmk.example"),
        draft=draft,
        draft_file=draft_file,
    )
