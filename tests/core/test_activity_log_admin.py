"""The Geschäftsstelle reads and filters the audit log; nobody edits it (issue 4 item 7)."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from dmk.bodies.models import MembershipRole
from dmk.core.audit import log_action
from dmk.core.models import ActivityLog
from tests.factories import StateFactory, UserFactory, user_with_role
from tests.helpers import login_with_second_factor, secretariat_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    log_action("accounts.login.failed", ip_address="203.0.113.5", data={"login": "a@land.example"})
    log_action("accounts.logout", actor=UserFactory(email="erika@land.example"))
    return ActivityLog.objects.all()


def test_geschaeftsstelle_lists_the_audit_log(client, entries):
    login_with_second_factor(client, secretariat_user())
    response = client.get("/verwaltung/protokoll/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "accounts.login.failed" in content
    assert "accounts.logout" in content


def test_geschaeftsstelle_filters_the_audit_log_by_action(client, entries):
    login_with_second_factor(client, secretariat_user())
    response = client.get("/verwaltung/protokoll/", {"action": "accounts.logout"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "accounts.logout" in content
    assert "203.0.113.5" not in content


def test_geschaeftsstelle_inspects_one_entry(client, entries):
    login_with_second_factor(client, secretariat_user())
    entry = ActivityLog.objects.get(action="accounts.login.failed")
    response = client.get(f"/verwaltung/protokoll/inspect/{entry.pk}/")
    assert response.status_code == 200
    assert "203.0.113.5" in response.content.decode()


@pytest.mark.parametrize("name", ["add", "edit", "delete", "copy", "history", "usage"])
def test_the_audit_log_has_no_view_that_changes_it(name):
    with pytest.raises(NoReverseMatch):
        reverse(f"protokoll:{name}", args=[1]) if name != "add" else reverse("protokoll:add")


def test_even_a_superuser_gets_no_add_edit_or_delete_button(client, entries):
    admin = UserFactory(is_superuser=True, is_staff=True)
    login_with_second_factor(client, admin)
    response = client.get("/verwaltung/protokoll/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "/verwaltung/protokoll/new/" not in content
    assert "/verwaltung/protokoll/edit/" not in content
    assert "/verwaltung/protokoll/delete/" not in content


def test_a_land_member_cannot_read_the_audit_log(client, entries):
    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-TH", name_de="Thüringen"))
    login_with_second_factor(client, member)
    response = client.get("/verwaltung/protokoll/")
    assert response.status_code == 403
    assert "203.0.113.5" not in response.content.decode()  # no audit entry leaks into the page
