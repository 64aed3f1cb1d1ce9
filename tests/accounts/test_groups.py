"""The Geschäftsstelle group opens the back office; nobody else gets in (seed §2.4)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from dmk.accounts.groups import SECRETARIAT_GROUP_NAME
from dmk.bodies.models import MembershipRole
from tests.factories import StateFactory, user_with_role
from tests.helpers import login_with_second_factor, secretariat_user

pytestmark = pytest.mark.django_db


def test_the_migration_creates_the_geschaeftsstelle_group_with_back_office_rights():
    group = Group.objects.get(name=SECRETARIAT_GROUP_NAME)
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("wagtailadmin", "access_admin") in codenames
    assert ("core", "view_activitylog") in codenames
    assert ("core", "change_activitylog") not in codenames
    assert ("core", "delete_activitylog") not in codenames
    assert ("accounts", "add_user") in codenames
    assert ("accounts", "delete_user") not in codenames
    assert ("bodies", "change_membership") in codenames
    page_codenames = set(group.page_permissions.values_list("permission__codename", flat=True))
    assert page_codenames == {
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
        "bulk_delete_page",
    }
    assert group.collection_permissions.count() == 8


def test_geschaeftsstelle_user_with_second_factor_opens_the_back_office(client):
    login_with_second_factor(client, secretariat_user())
    assert client.get("/verwaltung/").status_code == 200


def test_land_member_with_second_factor_is_kept_out_of_the_back_office(client):
    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-HE", name_de="Hessen"))
    login_with_second_factor(client, member)
    # a German 403, not Wagtail's redirect to the login (which would send them back: a loop)
    assert client.get("/verwaltung/").status_code == 403
    assert client.get("/verwaltung/pages/").status_code == 403
