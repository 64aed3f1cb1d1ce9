"""Folders and files of the data exchange platform (issue 14 items 2–4): versions and restore,
trash and its expiry, quotas that refuse before storing, atomic uploads, resumable uploads
(tus 1.0.0), streamed ZIPs, the activity list, constant queries for a folder listing."""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import os
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dmk.exchange import files, services
from dmk.exchange.models import FileVersion, Folder, ResumableUpload, StoredFile
from tests.exchange.conftest import PDF, docx_bytes
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db


def _stored_paths(media) -> list[str]:
    root = media / "exchange"
    if not root.exists():
        return []
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and ".incoming" not in p.parts
    )


def _incoming(media) -> list[str]:
    root = media / "exchange" / ".incoming"
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def test_a_second_upload_of_the_same_name_is_a_new_version_and_the_old_one_is_kept(world, body_ws):
    first = services.file_upload(
        actor=world.member_a,
        workspace=body_ws,
        folder=None,
        name="Bericht.docx",
        stream=[docx_bytes("eins")],
    )
    second = services.file_upload(
        actor=world.member_b,
        workspace=body_ws,
        folder=None,
        name="Bericht.docx",
        stream=[docx_bytes("zwei")],
    )
    assert first.stored_file_id == second.stored_file_id
    assert [
        v.number
        for v in FileVersion.objects.filter(stored_file_id=first.stored_file_id).order_by("number")
    ] == [1, 2]
    stored = StoredFile.objects.get(pk=first.stored_file_id)
    assert stored.current_version == 2
    assert second.sha256 == hashlib.sha256(docx_bytes("zwei")).hexdigest()


def test_restoring_an_old_version_adds_a_new_version_with_its_content(world, body_ws):
    v1 = services.file_upload(
        actor=world.member_a,
        workspace=body_ws,
        folder=None,
        name="Bericht.docx",
        stream=[docx_bytes("eins")],
    )
    services.file_upload(
        actor=world.member_a,
        workspace=body_ws,
        folder=None,
        name="Bericht.docx",
        stream=[docx_bytes("zwei")],
    )
    v3 = services.version_restore(actor=world.member_b, version=v1)
    assert (v3.number, v3.restored_from, v3.sha256) == (3, 1, v1.sha256)
    with v3.file.open("rb") as handle:
        assert handle.read() == docx_bytes("eins")
    client = Client()
    login_with_second_factor(client, world.member_a)
    response = client.get(
        reverse(
            "portal:exchange_download",
            kwargs={"workspace": body_ws.slug, "file": v1.stored_file_id},
        )
        + "?version=2"
    )
    assert b"".join(response.streaming_content) == docx_bytes("zwei")


def test_download_names_the_file_with_both_filename_forms(world, body_ws):
    version = services.file_upload(
        actor=world.member_a,
        workspace=body_ws,
        folder=None,
        name="Übersicht – Länder.pdf",
        stream=[PDF],
    )
    client = Client()
    login_with_second_factor(client, world.member_a)
    response = client.get(
        reverse(
            "portal:exchange_download",
            kwargs={"workspace": body_ws.slug, "file": version.stored_file_id},
        )
    )
    assert b"".join(response.streaming_content) == PDF
    header = response["Content-Disposition"]
    assert header.startswith('attachment; filename="Uebersicht')
    assert "filename*=UTF-8''%C3%9Cbersicht%20%E2%80%93%20L%C3%A4nder.pdf" in header


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_stored(
    world, body_ws, media
):
    with pytest.raises(ValidationError) as refused:
        services.file_upload(
            actor=world.member_a, workspace=body_ws, folder=None, name="Tabelle.xlsx", stream=[PDF]
        )
    assert refused.value.code == "content_mismatch"
    assert StoredFile.objects.count() == 0
    assert _stored_paths(media) == [] and _incoming(media) == []


def test_an_upload_that_breaks_off_midway_leaves_no_file_and_no_row(world, body_ws, media):
    def dropped_connection():
        yield PDF[:10]
        raise OSError("connection reset by peer")

    with pytest.raises(OSError):
        services.file_upload(
            actor=world.member_a,
            workspace=body_ws,
            folder=None,
            name="Abbruch.pdf",
            stream=dropped_connection(),
        )
    assert StoredFile.objects.count() == 0 and FileVersion.objects.count() == 0
    assert _stored_paths(media) == [] and _incoming(media) == []


def test_a_database_failure_after_the_move_removes_the_stored_file(
    world, body_ws, media, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(FileVersion.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.file_upload(
            actor=world.member_a, workspace=body_ws, folder=None, name="Kaputt.pdf", stream=[PDF]
        )
    assert StoredFile.objects.count() == 0
    assert _stored_paths(media) == [] and _incoming(media) == []


def test_the_quota_refuses_before_storing_and_says_how_much_is_used(world, body_ws, media):
    body_ws.quota_bytes = len(PDF) * 2
    body_ws.save()
    services.file_upload(
        actor=world.member_a, workspace=body_ws, folder=None, name="a.pdf", stream=[PDF]
    )
    services.file_upload(
        actor=world.member_a, workspace=body_ws, folder=None, name="b.pdf", stream=[PDF]
    )
    before = _stored_paths(media)
    with pytest.raises(ValidationError) as refused:
        services.file_upload(
            actor=world.member_a, workspace=body_ws, folder=None, name="c.pdf", stream=[PDF]
        )
    assert refused.value.code == "quota"
    assert (
        "belegt sind 90\xa0Bytes von 90\xa0Bytes, die Datei braucht 45\xa0Bytes"
        in refused.value.messages[0]
    )
    assert _stored_paths(media) == before and _incoming(media) == []
    assert StoredFile.objects.filter(name="c.pdf").exists() is False


def test_a_declared_size_over_the_quota_is_refused_before_a_byte_is_read(world, body_ws):
    body_ws.quota_bytes = 100
    body_ws.save()

    def never_read():
        raise AssertionError("the stream must not be read")
        yield b""

    with pytest.raises(ValidationError) as refused:
        services.file_upload(
            actor=world.member_a,
            workspace=body_ws,
            folder=None,
            name="gross.pdf",
            stream=never_read(),
            size=101,
        )
    assert refused.value.code == "quota"


def test_the_page_warns_before_the_limit(world, body_ws):
    body_ws.quota_bytes = 50
    body_ws.save()
    services.file_upload(
        actor=world.member_a, workspace=body_ws, folder=None, name="a.pdf", stream=[PDF]
    )
    client = Client()
    login_with_second_factor(client, world.member_a)
    page = client.get(
        reverse("portal:exchange_workspace", kwargs={"workspace": body_ws.slug})
    ).content.decode()
    assert "Belegt: 45\xa0Bytes von 50\xa0Bytes" in page
    assert "Der Speicherplatz ist fast aufgebraucht." in page


def test_trash_restore_and_expiry(world, body_ws, media, django_capture_on_commit_callbacks):
    folder = services.folder_create(actor=world.member_a, workspace=body_ws, name="Sitzung 5")
    inside = services.file_upload(
        actor=world.member_a, workspace=body_ws, folder=folder, name="TOP 1.pdf", stream=[PDF]
    )
    loose = services.file_upload(
        actor=world.member_a, workspace=body_ws, folder=None, name="alt.pdf", stream=[PDF]
    )
    services.file_trash(actor=world.member_a, stored_file=loose.stored_file)
    services.file_restore(
        actor=world.member_b, stored_file=StoredFile.objects.get(pk=loose.stored_file_id)
    )
    assert StoredFile.objects.get(pk=loose.stored_file_id).deleted_at is None
    services.file_trash(
        actor=world.member_a, stored_file=StoredFile.objects.get(pk=loose.stored_file_id)
    )
    services.folder_trash(actor=world.member_a, folder=folder)
    # 29 days later: still there
    assert services.trash_purge_expired(now=timezone.now() + datetime.timedelta(days=29)) == 0
    assert StoredFile.objects.count() == 2
    # 31 days later: gone, with their files on disk (removed once the deletion is committed)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.trash_purge_expired(now=timezone.now() + datetime.timedelta(days=31)) == 2
    assert StoredFile.objects.count() == 0 and Folder.objects.count() == 0
    assert not os.path.exists(inside.file.path) and not os.path.exists(loose.file.path)


def test_a_file_in_a_trashed_folder_is_not_reachable_by_id(world, body_ws):
    folder = services.folder_create(actor=world.member_a, workspace=body_ws, name="Alt")
    version = services.file_upload(
        actor=world.member_a, workspace=body_ws, folder=folder, name="x.pdf", stream=[PDF]
    )
    services.folder_trash(actor=world.member_a, folder=folder)
    client = Client()
    login_with_second_factor(client, world.member_a)
    url = reverse(
        "portal:exchange_download",
        kwargs={"workspace": body_ws.slug, "file": version.stored_file_id},
    )
    assert client.get(url).status_code == 404


def test_a_folder_cannot_move_into_itself(world, body_ws):
    outer = services.folder_create(actor=world.member_a, workspace=body_ws, name="Außen")
    inner = services.folder_create(
        actor=world.member_a, workspace=body_ws, name="Innen", parent=outer
    )
    with pytest.raises(ValidationError) as refused:
        services.folder_move(actor=world.member_a, folder=outer, parent=inner)
    assert refused.value.code == "cycle"


def test_the_zip_of_a_folder_holds_exactly_its_files(world, body_ws):
    folder = services.folder_create(actor=world.member_a, workspace=body_ws, name="Sitzung")
    sub = services.folder_create(
        actor=world.member_a, workspace=body_ws, name="Anlagen", parent=folder
    )
    services.file_upload(
        actor=world.member_a, workspace=body_ws, folder=folder, name="Einladung.pdf", stream=[PDF]
    )
    services.file_upload(
        actor=world.member_a,
        workspace=body_ws,
        folder=sub,
        name="Anlage 1.docx",
        stream=[docx_bytes()],
    )
    services.file_upload(
        actor=world.member_a,
        workspace=body_ws,
        folder=sub,
        name="Anlage 1.docx",
        stream=[docx_bytes("v2")],
    )
    trashed = services.file_upload(
        actor=world.member_a, workspace=body_ws, folder=folder, name="weg.pdf", stream=[PDF]
    )
    services.file_trash(actor=world.member_a, stored_file=trashed.stored_file)
    services.file_upload(
        actor=world.member_a, workspace=body_ws, folder=None, name="draussen.pdf", stream=[PDF]
    )
    client = Client()
    login_with_second_factor(client, world.member_b)
    response = client.get(
        reverse("portal:exchange_zip", kwargs={"workspace": body_ws.slug}) + f"?ordner={folder.pk}"
    )
    data = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["Anlagen/Anlage 1.docx", "Einladung.pdf"]
        assert archive.read("Anlagen/Anlage 1.docx") == docx_bytes("v2")


def test_the_activity_names_who_uploaded_downloaded_and_deleted_what(world, body_ws):
    version = services.file_upload(
        actor=world.member_a, workspace=body_ws, folder=None, name="Vermerk.pdf", stream=[PDF]
    )
    client = Client()
    login_with_second_factor(client, world.member_b)
    download = client.get(
        reverse(
            "portal:exchange_download",
            kwargs={"workspace": body_ws.slug, "file": version.stored_file_id},
        )
    )
    # read to the end: the test client then closes the file (response.close() would end the
    # "request" and, on PostgreSQL, the test's database connection with it)
    assert b"".join(download.streaming_content) == PDF
    services.file_trash(actor=world.member_a, stored_file=version.stored_file)
    page = client.get(
        reverse("portal:exchange_activity", kwargs={"workspace": body_ws.slug})
    ).content.decode()
    for action in ("file.uploaded", "file.downloaded", "file.trashed"):
        assert action in page
    from dmk.core.models import ActivityLog

    actions = list(
        ActivityLog.objects.filter(object_type="exchange.workspace", object_id=str(body_ws.pk))
        .order_by("pk")
        .values_list("action", "actor_id")
    )
    assert actions == [
        ("exchange.file.uploaded", world.member_a.pk),
        ("exchange.file.downloaded", world.member_b.pk),
        ("exchange.file.trashed", world.member_a.pk),
    ]


def test_the_upload_form_stores_several_files_and_names_each_refused_one(world, body_ws):
    client = Client()
    login_with_second_factor(client, world.member_a)
    response = client.post(
        reverse("portal:exchange_upload", kwargs={"workspace": body_ws.slug}),
        {
            "files": [
                SimpleUploadedFile("gut.pdf", PDF),
                SimpleUploadedFile("boese.exe", b"MZ"),
                SimpleUploadedFile("falsch.pdf", b"PK"),
            ]
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "boese.exe: Dieser Dateityp ist nicht erlaubt." in page
    assert "falsch.pdf: Der Inhalt der Datei passt nicht zur Endung „.pdf“." in page
    assert list(StoredFile.objects.values_list("name", flat=True)) == ["gut.pdf"]


def test_a_folder_listing_costs_the_same_queries_for_1_and_50_files(
    world, body_ws, django_assert_num_queries
):
    client = Client()
    login_with_second_factor(client, world.member_a)
    url = reverse("portal:exchange_workspace", kwargs={"workspace": body_ws.slug})
    services.file_upload(
        actor=world.member_a, workspace=body_ws, folder=None, name="f0.pdf", stream=[PDF]
    )
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(1, 50):
        StoredFile.objects.create(
            workspace=body_ws,
            name=f"f{n}.pdf",
            content_type="application/pdf",
            size=1,
            current_version=1,
            created_by=world.member_a,
        )
    with CaptureQueriesContext(connection) as fifty:
        page = client.get(url)
    assert page.content.decode().count("f49.pdf") == 1
    assert len(fifty) == len(one)


# --- resumable uploads (tus 1.0.0) ----------------------------------------------------------


def _tus_create(client, workspace, name: str, length: int, folder: str = ""):
    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    meta = f"filename {b64(name)},folder {b64(folder)}"
    return client.post(
        reverse("portal:exchange_tus", kwargs={"workspace": workspace.slug}),
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=meta,
    )


def _patch(client, url, offset, data):
    return client.generic(
        "PATCH",
        url,
        data,
        content_type="application/offset+octet-stream",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_OFFSET=str(offset),
    )


def test_an_interrupted_resumable_upload_continues_and_the_result_is_the_source(
    world, body_ws, media
):
    source = PDF + os.urandom(300_000)
    client = Client()
    login_with_second_factor(client, world.member_a)
    created = _tus_create(client, body_ws, "Gutachten.pdf", len(source))
    assert created.status_code == 201 and created["Tus-Resumable"] == "1.0.0"
    url = created["Location"]
    # the first request carries 100,000 bytes, then the connection drops
    assert _patch(client, url, 0, source[:100_000]).status_code == 204
    # the client asks where to go on
    head = client.head(url, HTTP_TUS_RESUMABLE="1.0.0")
    assert head["Upload-Offset"] == "100000"
    # a request with a stale offset is refused with 409 and changes nothing
    assert _patch(client, url, 50_000, source[50_000:]).status_code == 409
    done = _patch(client, url, 100_000, source[100_000:])
    assert done.status_code == 204 and done["Upload-Offset"] == str(len(source))
    stored = StoredFile.objects.get(name="Gutachten.pdf")
    version = stored.versions.get()
    with version.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == hashlib.sha256(source).hexdigest()
    assert version.sha256 == hashlib.sha256(source).hexdigest()
    assert _incoming(media) == []


def test_a_resumable_upload_with_wrong_content_is_refused_at_the_end_and_leaves_nothing(
    world, body_ws, media
):
    source = b"PK\x03\x04 not a pdf at all"
    client = Client()
    login_with_second_factor(client, world.member_a)
    url = _tus_create(client, body_ws, "falsch.pdf", len(source))["Location"]
    response = _patch(client, url, 0, source)
    assert response.status_code == 400
    assert "Der Inhalt der Datei passt nicht zur Endung" in response.content.decode()
    assert StoredFile.objects.count() == 0 and ResumableUpload.objects.count() == 0
    assert _incoming(media) == []


def test_a_resumable_upload_over_the_quota_is_refused_at_creation(world, body_ws):
    body_ws.quota_bytes = 1000
    body_ws.save()
    client = Client()
    login_with_second_factor(client, world.member_a)
    response = _tus_create(client, body_ws, "gross.pdf", 1001)
    assert response.status_code == 413
    assert ResumableUpload.objects.count() == 0


def test_nobody_else_can_resume_or_read_a_resumable_upload(world, body_ws):
    owner = Client()
    login_with_second_factor(owner, world.member_a)
    url = _tus_create(owner, body_ws, "x.pdf", len(PDF))["Location"]
    other = Client()
    login_with_second_factor(other, world.member_b)
    assert other.head(url, HTTP_TUS_RESUMABLE="1.0.0").status_code == 404
    assert _patch(other, url, 0, PDF).status_code == 404


def test_the_tus_endpoint_tells_its_protocol(world, body_ws):
    client = Client()
    login_with_second_factor(client, world.member_a)
    response = client.options(reverse("portal:exchange_tus", kwargs={"workspace": body_ws.slug}))
    assert (response.status_code, response["Tus-Version"], response["Tus-Extension"]) == (
        204,
        "1.0.0",
        "creation,termination",
    )
    assert response["Tus-Max-Size"] == str(files.max_file_bytes())


def test_a_long_folder_is_listed_in_pages_of_100_files(world, body_ws):
    StoredFile.objects.bulk_create(
        StoredFile(
            workspace=body_ws,
            name=f"Datei {n:03d}.pdf",
            content_type="application/pdf",
            size=1,
            current_version=1,
        )
        for n in range(150)
    )
    client = Client()
    login_with_second_factor(client, world.member_a)
    url = reverse("portal:exchange_workspace", kwargs={"workspace": body_ws.slug})
    first = client.get(url).content.decode()
    second = client.get(url + "?seite=2").content.decode()
    assert "Datei 099.pdf" in first and "Datei 100.pdf" not in first
    assert "Datei 100.pdf" in second and "Datei 149.pdf" in second and "Datei 099.pdf" not in second
    assert "Seite 2 von 2" in second
    assert client.get(url + "?seite=abc").status_code == 200
