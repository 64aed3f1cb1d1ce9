"""Who may read, write and manage which workspace (issue 14 item 1; DOMAIN rule 11): one
table over role × workspace kind × action, checked through the permission module and over
HTTP. A workspace a user may not open answers 404 — its files too, by id."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dmk.access.policy import visible_workspaces, workspace_role
from dmk.exchange import services
from dmk.exchange.models import Workspace, WorkspaceRole
from dmk.meetings.models import GuestInvitation
from tests.exchange.conftest import PDF
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db

NONE, READ, WRITE, MANAGE = 0, WorkspaceRole.READ, WorkspaceRole.WRITE, WorkspaceRole.MANAGE

# user → {workspace kind: expected role}; the ad-hoc workspace is opened for Bremen (land_a).
TABLE = {
    "secretariat": {"body": MANAGE, "organization": MANAGE, "meeting": MANAGE, "adhoc": MANAGE},
    "member_a": {"body": WRITE, "organization": NONE, "meeting": WRITE, "adhoc": WRITE},
    "staff_a": {"body": WRITE, "organization": NONE, "meeting": WRITE, "adhoc": WRITE},
    "member_b": {"body": WRITE, "organization": NONE, "meeting": WRITE, "adhoc": NONE},
    # a Land's member of the AG only: the AG's workspace, not the plenary's (as for votes)
    "ag_member": {"body": NONE, "organization": WRITE, "meeting": NONE, "adhoc": NONE},
    "ag_guest": {"body": NONE, "organization": READ, "meeting": NONE, "adhoc": NONE},
    "guest": {"body": NONE, "organization": NONE, "meeting": NONE, "adhoc": NONE},
    "outsider": {"body": NONE, "organization": NONE, "meeting": NONE, "adhoc": NONE},
}
CASES = [(who, kind, role) for who, row in TABLE.items() for kind, role in row.items()]


@pytest.fixture
def workspaces(body_ws, ag_ws, meeting_ws, adhoc_ws):
    return {"body": body_ws, "organization": ag_ws, "meeting": meeting_ws, "adhoc": adhoc_ws}


@pytest.mark.parametrize(("who", "kind", "expected"), CASES)
def test_role_of_each_user_in_each_kind_of_workspace(world, workspaces, who, kind, expected):
    user = getattr(world, who)
    workspace = workspaces[kind]
    assert workspace_role(user, workspace) == expected
    listed = visible_workspaces(user, Workspace.objects.all()).filter(pk=workspace.pk).exists()
    assert listed is (expected >= READ)


@pytest.mark.parametrize(("who", "kind", "expected"), CASES)
def test_http_read_write_and_manage_follow_the_role(world, workspaces, who, kind, expected):
    user = getattr(world, who)
    workspace = workspaces[kind]
    client = Client()
    login_with_second_factor(client, user)
    # read
    page = client.get(reverse("portal:exchange_workspace", kwargs={"workspace": workspace.slug}))
    assert page.status_code == (200 if expected >= READ else 404)
    # write: upload a file
    upload = client.post(
        reverse("portal:exchange_upload", kwargs={"workspace": workspace.slug}),
        {"files": [SimpleUploadedFile("Vermerk.pdf", PDF)]},
    )
    assert upload.status_code == {NONE: 404, READ: 403}.get(expected, 302)
    assert workspace.files.filter(name="Vermerk.pdf").exists() is (expected >= WRITE)
    # manage: admit another Land (ad-hoc) — refused below "verwalten"
    if kind == "adhoc":
        if expected >= MANAGE:
            services.workspace_grant(actor=user, workspace=workspace, state=world.land_b, role=READ)
            assert workspace_role(world.member_b, workspace) == READ
        else:
            with pytest.raises(PermissionDenied):
                services.workspace_grant(
                    actor=user, workspace=workspace, state=world.land_b, role=READ
                )


def test_a_guest_invited_to_the_meeting_reads_its_workspace(world, meeting_ws):
    GuestInvitation.objects.create(meeting=meeting_ws.meeting, person=world.guest.person)
    assert workspace_role(world.guest, meeting_ws) == READ


def test_the_meeting_workspace_is_read_only_after_the_meeting(world, meeting_ws):
    meeting = meeting_ws.meeting
    meeting.state = "held"
    meeting.save()
    meeting_ws.refresh_from_db()
    assert workspace_role(world.member_a, meeting_ws) == READ
    assert workspace_role(world.secretariat, meeting_ws) == MANAGE


def test_a_land_outside_a_workspace_gets_404_for_its_files_by_id(world, adhoc_ws):
    version = services.file_upload(
        actor=world.member_a, workspace=adhoc_ws, folder=None, name="Position.pdf", stream=[PDF]
    )
    client = Client()
    login_with_second_factor(client, world.member_b)
    kwargs = {"workspace": adhoc_ws.slug, "file": version.stored_file_id}
    for name in ("portal:exchange_file", "portal:exchange_download"):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    assert (
        client.get(reverse("portal:exchange_zip", kwargs={"workspace": adhoc_ws.slug})).status_code
        == 404
    )


def test_a_file_id_of_another_workspace_is_404_in_a_workspace_one_may_open(
    world, body_ws, adhoc_ws
):
    version = services.file_upload(
        actor=world.member_a, workspace=adhoc_ws, folder=None, name="Position.pdf", stream=[PDF]
    )
    client = Client()
    login_with_second_factor(client, world.member_b)
    url = reverse(
        "portal:exchange_download",
        kwargs={"workspace": body_ws.slug, "file": version.stored_file_id},
    )
    assert client.get(url).status_code == 404


def test_the_index_lists_exactly_the_workspaces_one_may_open(world, workspaces):
    client = Client()
    login_with_second_factor(client, world.member_b)
    page = client.get(reverse("portal:exchange_index")).content.decode()
    assert workspaces["body"].name in page
    assert workspaces["meeting"].name in page
    assert workspaces["adhoc"].name not in page
    assert workspaces["organization"].name not in page


def test_only_the_secretariat_opens_an_adhoc_workspace(world):
    with pytest.raises(PermissionDenied):
        services.workspace_create_adhoc(actor=world.member_a, body=world.body, name="Heimlich")
    client = Client()
    login_with_second_factor(client, world.member_a)
    response = client.post(reverse("portal:exchange_index"), {"name": "Heimlich", "role": "2"})
    assert response.status_code == 403
    assert not Workspace.objects.filter(name="Heimlich").exists()


def test_a_password_alone_opens_no_workspace(world, body_ws):
    client = Client()
    client.force_login(world.member_a)
    response = client.get(reverse("portal:exchange_workspace", kwargs={"workspace": body_ws.slug}))
    assert response.status_code == 302
