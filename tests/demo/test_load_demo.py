"""``manage.py load_demo`` and ``manage.py demo_totp`` (issue 3 item 9)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from dmk.access.policy import Role, principal_for
from dmk.accounts.models import User
from dmk.bodies.models import Membership, MembershipRole, Organization, Person, State
from dmk.core.models import ActivityLog
from dmk.demo.organisation import DEMO_LOGINS, DEMO_PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "persons": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "organizations": Organization.objects.count(),
        "authenticators": Authenticator.objects.count(),
        "groups": Group.objects.count(),
        "log": ActivityLog.objects.count(),
    }


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_load_demo_twice_changes_nothing(public_record):
    _run("load_demo")
    first = _counts()
    _run("load_demo")
    assert _counts() == first
    assert first["users"] == 5
    assert first["authenticators"] == 10  # TOTP + recovery codes for each login


def test_load_demo_keeps_data_edited_between_runs(public_record):
    _run("load_demo")
    person = Person.objects.get(email="mitglied.by@dmk.example")
    person.phone = "+49 89 999"
    person.save()
    _run("load_demo")
    person.refresh_from_db()
    assert person.phone == "+49 89 999"


def test_load_demo_names_member_and_permanent_deputy_for_all_16_laender(public_record):
    """DOMAIN rule 10: every Land names a member and a permanent deputy for 2026."""
    _run("load_demo")
    plenary = Membership.objects.filter(
        chair_period__start_date__year=2026, organization__kind=Organization.Kind.PLENARY
    )
    assert plenary.filter(role=MembershipRole.MEMBER).count() == 16
    assert plenary.filter(role=MembershipRole.PERMANENT_DEPUTY).count() == 16
    assert plenary.filter(role=MembershipRole.SECRETARIAT, on_behalf_of__code="DE-HH").count() == 2
    wg = Organization.objects.get(name="AG Digitale Souveränität")
    assert wg.memberships.values("on_behalf_of").distinct().count() == 5


@pytest.mark.parametrize(
    ("email", "roles", "state_codes"),
    [
        ("geschaeftsstelle@dmk.example", {Role.SECRETARIAT}, set()),
        ("mitglied.by@dmk.example", {Role.MEMBER}, {"DE-BY"}),
        ("referent.by@dmk.example", {Role.STATE_STAFF}, {"DE-BY"}),
        ("mitglied.nw@dmk.example", {Role.MEMBER}, {"DE-NW"}),
        ("gast.bund@dmk.example", {Role.GUEST}, set()),
    ],
)
def test_each_demo_login_has_its_role(public_record, email, roles, state_codes, monkeypatch):
    _run("load_demo")
    user = User.objects.get(email=email)
    # The demo is for the 2026 chair period: look at it on a day within it.
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 6, 1))
    principal = principal_for(user)
    assert set(principal.roles) == roles
    assert {s.code for s in State.objects.filter(pk__in=principal.state_ids)} == state_codes
    assert user.check_password(DEMO_PASSWORD)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1


def test_geschaeftsstelle_login_may_open_the_wagtail_admin(public_record):
    _run("load_demo")
    user = User.objects.get(email="geschaeftsstelle@dmk.example")
    assert list(user.groups.values_list("name", flat=True)) == ["Geschäftsstelle"]
    assert user.has_perm("wagtailadmin.access_admin")


def test_load_demo_prints_logins_password_and_secrets(public_record):
    out = _run("load_demo")
    assert DEMO_PASSWORD in out
    assert len(DEMO_PASSWORD) >= 12
    for email, (secret, _role) in DEMO_LOGINS.items():
        assert email in out
        assert secret in out
    assert "/intern/" in out and "/verwaltung/" in out and "demo_totp" in out


def test_demo_totp_prints_a_code_allauth_accepts(public_record):
    _run("load_demo")
    code = _run("demo_totp", "mitglied.by@dmk.example").strip()
    assert len(code) == 6 and code.isdigit()
    assert validate_totp_code(DEMO_LOGINS["mitglied.by@dmk.example"][0], code)


def test_demo_totp_refuses_a_user_who_is_not_a_demo_login(public_record):
    user = UserFactory(email="echte.person@land.example")
    with pytest.raises(CommandError, match="kein Demo-Zugang"):
        _run("demo_totp", user.email)
    with pytest.raises(CommandError, match="kein Demo-Zugang"):
        _run("demo_totp", "fremd@dmk.example")


def test_load_demo_without_public_record_stops_with_a_clear_message(db):
    with pytest.raises(CommandError, match="load_public_record"):
        _run("load_demo")


def test_load_demo_writes_the_same_logins_to_the_logins_file(public_record, tmp_path):
    """``make demo`` shows this file again right before the server starts."""
    target = tmp_path / "var" / "demo-logins.txt"
    out = _run("load_demo", "--logins-file", str(target))
    assert target.read_text(encoding="utf-8") == out
    assert DEMO_PASSWORD in out


def test_demo_totp_says_how_long_the_code_is_valid(public_record):
    _run("load_demo")
    err = StringIO()
    call_command("demo_totp", "mitglied.by@dmk.example", stdout=StringIO(), stderr=err)
    message = err.getvalue()
    assert message.startswith("(gültig noch ")
    seconds = int(message.removeprefix("(gültig noch ").split(" s,", 1)[0])
    assert 1 <= seconds <= 30


def test_demo_contact_data_fit_the_lands_capital(public_record):
    """Fictional but plausible: a Bavarian minister's office has a Munich number and postal
    code (newcomer report: everybody had a Berlin number and 10115)."""
    _run("load_demo")
    bavarian = Person.objects.filter(state__code="DE-BY").exclude(phone="").first()
    assert bavarian.phone.startswith("+49 89 123456-")
    assert bavarian.postal_code == "80331"
    assert bavarian.city == "München"


def test_the_deputies_in_the_ag_vote_in_the_plenary_only_as_deputies(public_record):
    """Issue 11, defect 1 (DOMAIN rule 1): the demo keeps the permanent deputies of Bayern and
    Nordrhein-Westfalen as "member" of the AG — that membership carries the AG, and it gives
    them no member role in the plenary: in a plenary meeting whose attendance names the
    member, they do not represent the Land; in the AG's own meeting they vote for it."""
    from dmk.access.policy import holds_voting_role, voting_state_ids
    from dmk.bodies.models import Body
    from dmk.demo.organisation import WORKING_GROUP
    from dmk.meetings.models import Meeting, MeetingKind

    _run("load_demo")
    body = Body.objects.get(short_name="DMK")
    plenary = Organization.objects.get(body=body, kind=Organization.Kind.PLENARY)
    ag = Organization.objects.get(body=body, name=WORKING_GROUP)
    meeting = Meeting.objects.create(
        body=body, kind=MeetingKind.SPECIAL, name="Demo-Plenum", slug="demo-plenum"
    )
    ag_meeting = Meeting.objects.create(
        body=body, organization=ag, kind=MeetingKind.WORKING_BODY, name="AG", slug="ag"
    )
    for code in ("DE-BY", "DE-NW"):
        state = State.objects.get(code=code)
        deputy = Membership.objects.get(
            organization=plenary, role=MembershipRole.PERMANENT_DEPUTY, on_behalf_of=state
        ).person
        ag_roles = Membership.objects.filter(person=deputy, organization=ag)
        assert list(ag_roles.values_list("role", "on_behalf_of__code")) == [("member", code)]
        user = UserFactory(email=f"vertretung-{code.lower()}@dmk.example")
        deputy.user = user
        deputy.save(update_fields=["user"])

        assert not holds_voting_role(
            user, meeting=meeting, state_id=state.pk, role=MembershipRole.MEMBER
        )
        assert holds_voting_role(
            user, meeting=meeting, state_id=state.pk, role=MembershipRole.PERMANENT_DEPUTY
        )
        assert holds_voting_role(
            user, meeting=ag_meeting, state_id=state.pk, role=MembershipRole.MEMBER
        )
        assert voting_state_ids(user, meeting=ag_meeting) == {state.pk}
