"""The OParl 1.1 interface /oparl/v1/ (issue 16, "tests that must exist"): schema-valid on the
real record and on the demo, everything reachable from System, pagination and filters,
only public objects and fields (DOMAIN rule 11), tombstones (OParl 1.1 §2.8), the vote
extension (docs/oparl.md) and a bounded number of queries per list page."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dmk.api.validation import client_fetch, crawl, validator_for
from dmk.bodies.models import Body, Person
from dmk.core.enums import Visibility
from dmk.meetings.models import Meeting
from dmk.papers.models import Paper, PaperType
from dmk.resolutions.models import Resolution
from dmk.resolutions.services import resolution_adopt, resolution_release
from dmk.voting.services import ballot_close, ballot_open, vote_cast
from tests.voting.scenario import make_session

pytestmark = pytest.mark.django_db

HOST = "testserver"
SYSTEM = f"http://{HOST}/oparl/v1/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def get(client, path: str, **extra):
    response = client.get(path, **extra)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return json.loads(response.content)


def body_url(name: str = "") -> str:
    pk = Body.objects.get(short_name="DMK").pk
    return f"/oparl/v1/body/{pk}/{name}/" if name else f"/oparl/v1/body/{pk}/"


def full_crawl(client):
    return crawl(client_fetch(client), SYSTEM)


@pytest.fixture
def demo(public_record, django_capture_on_commit_callbacks):
    from dmk.demo.meeting import load_demo_meeting
    from dmk.demo.organisation import load_demo

    load_demo()
    with django_capture_on_commit_callbacks(execute=False):
        load_demo_meeting(today=datetime.date(2026, 12, 4))


@pytest.fixture
def released(public_record):
    """A resolution adopted on the platform with a known vote table: 12 yes, 1 no, 1
    abstention, 2 Länder not voting; Bayern with a Kabinettsvorbehalt (DOMAIN rule 6)."""
    session = make_session()
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    choices = ["yes"] * 12 + ["no", "abstain"]
    for state, choice in zip(session.states, choices, strict=False):
        vote_cast(
            ballot=ballot,
            user=session.member(state.code),
            state=state,
            choice=choice,
            cabinet_reservation=state.code == "DE-BY",
        )
    ballot_close(ballot=ballot, user=session.secretariat)
    resolution = resolution_adopt(
        ballot=ballot,
        title="Offene Schnittstellen für die Verwaltung",
        text_html="<p>Die DMK empfiehlt offene Schnittstellen.</p>",
        user=session.secretariat,
    )
    resolution_release(resolution=resolution, user=session.secretariat)
    return session, resolution


# --- item 5: the crawler finds no schema violation ----------------------------------------


def test_the_real_record_crawls_with_no_schema_violation(client, public_record):
    report = full_crawl(client)

    assert report.violations == []
    assert report.counts["System"] == 1
    assert report.counts["Body"] == 1
    assert report.counts["Meeting"] == Meeting.objects.filter(is_public=True).count()
    # every public resolution of the record is an agenda item: 18 in the real record
    assert report.counts["AgendaItem"] == Resolution.objects.count() == 18
    assert report.counts["LegislativeTerm"] == 3
    assert report.counts["Organization"] >= 16


def test_the_demo_crawls_with_no_schema_violation(client, demo):
    report = full_crawl(client)

    assert report.violations == []
    assert report.counts["Person"] == 32  # member and permanent deputy of 16 Länder
    assert report.counts["Membership"] == 32


def test_the_management_command_prints_counts_and_no_violation(public_record):
    out = StringIO()

    call_command("oparl_validate", stdout=out)

    text = out.getvalue()
    assert "0 Verstöße gegen das OParl-Schema." in text
    assert "Meeting" in text


def test_the_validator_reports_a_broken_embedded_object():
    errors = list(
        validator_for("Meeting").iter_errors(
            {
                "id": "http://x/oparl/v1/meeting/1/",
                "type": "https://schema.oparl.org/1.1/Meeting",
                "start": "2026-01-01",
                "agendaItem": [
                    {"id": "kein-url", "type": "https://schema.oparl.org/1.1/AgendaItem"}
                ],
            }
        )
    )

    messages = sorted(e.message for e in errors)
    assert messages == [
        "'2026-01-01' is not a 'date-time'",
        "'kein-url' is not a 'url'",
        "'order' is a required property",
    ]


def test_every_object_is_reachable_from_system_and_served_under_its_own_id(client, demo):
    report = full_crawl(client)

    for oid, obj in report.objects.items():
        assert oid.startswith(SYSTEM)
        assert obj["id"] == oid
        assert "created" in obj and "modified" in obj
    listed = {oid for ids in report.list_items.values() for oid in ids}
    assert listed <= set(report.objects)
    # the lists the body names are all read
    assert {url.rsplit("/", 2)[-2] for url in report.list_items} == {
        "body",
        "organization",
        "person",
        "meeting",
        "paper",
        "agendaItem",
        "membership",
        "legislativeTerm",
        "location",
        "consultation",
    }


# --- item 3: pagination and filters --------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 2, 5, 7])
def test_pagination_covers_each_list_exactly_once(client, demo, limit):
    whole = [o["id"] for o in get(client, body_url("agendaItem"), data={"limit": 500})["data"]]
    seen: list[str] = []
    url = f"{body_url('agendaItem')}?limit={limit}"
    pages = 0
    while url:
        page = get(client, url)
        pages += 1
        seen.extend(o["id"] for o in page["data"])
        assert page["pagination"]["elementsPerPage"] == limit
        url = page["links"].get("next")
    assert seen == whole
    assert len(set(seen)) == len(seen) == len(whole) > 0
    assert pages == -(-len(whole) // limit)


def test_the_last_page_has_no_next_link(client, public_record):
    page = get(client, body_url("meeting"), data={"limit": 100})

    assert "next" not in page["links"]
    assert page["pagination"]["currentPage"] == page["pagination"]["totalPages"] == 1


def test_modified_since_returns_exactly_the_changed_objects(client, public_record):
    before = timezone.now() - datetime.timedelta(seconds=1)
    Meeting.objects.filter(is_public=True).update(modified_at=before - datetime.timedelta(days=1))
    changed = Meeting.objects.get(ordinal=4, kind="regular")
    changed.notes = "geändert"
    changed.save()

    data = get(client, body_url("meeting"), data={"modified_since": before.isoformat()})["data"]

    assert [o["id"] for o in data] == [f"{SYSTEM}meeting/{changed.pk}/"]


def test_created_until_leaves_out_newer_objects(client, public_record):
    Paper.objects.update(created_at=timezone.now() - datetime.timedelta(days=10))
    cutoff = timezone.now() - datetime.timedelta(days=5)
    new = Paper.objects.create(
        body=Body.objects.get(short_name="DMK"),
        slug="neu",
        title="Neue Vorlage",
        paper_type=PaperType.REPORT,
        visibility=Visibility.PUBLIC,
    )

    until = get(client, body_url("paper"), data={"created_until": cutoff.isoformat()})["data"]
    since = get(client, body_url("paper"), data={"created_since": cutoff.isoformat()})["data"]

    assert f"{SYSTEM}paper/{new.pk}/" not in [o["id"] for o in until]
    assert [o["id"] for o in since] == [f"{SYSTEM}paper/{new.pk}/"]


def test_a_malformed_filter_is_a_400_with_a_german_message(client, public_record):
    response = client.get(body_url("meeting"), {"modified_since": "gestern"})

    assert response.status_code == 400
    assert "ISO 8601" in json.loads(response.content)["error"]
    assert response["Access-Control-Allow-Origin"] == "*"


# --- item 2: only public objects and fields ----------------------------------------------


def test_an_internal_paper_is_absent_and_a_depublished_one_is_deleted(client, demo):
    internal = Paper.objects.filter(visibility=Visibility.INTERNAL).first()
    public = Paper.objects.get(visibility=Visibility.PUBLIC)
    public.visibility = Visibility.INTERNAL
    public.save()

    crawl_ids = set(full_crawl(client).objects)
    internal_answer = client.get(f"/oparl/v1/paper/{internal.pk}/")
    depublished = get(client, f"/oparl/v1/paper/{public.pk}/")

    assert f"{SYSTEM}paper/{internal.pk}/" not in crawl_ids
    assert f"{SYSTEM}paper/{public.pk}/" not in crawl_ids
    assert internal_answer.status_code == 404
    assert depublished["deleted"] is True
    assert depublished["id"] == f"{SYSTEM}paper/{public.pk}/"
    assert "name" not in depublished
    assert validator_for("Paper").is_valid(depublished)


def test_a_depublished_paper_shows_in_a_modified_since_list_as_deleted(client, public_record):
    since = timezone.now() - datetime.timedelta(seconds=1)
    paper = Paper.objects.get(visibility=Visibility.PUBLIC)
    paper.visibility = Visibility.INTERNAL
    paper.save()

    data = get(client, body_url("paper"), data={"modified_since": since.isoformat()})["data"]

    assert data == [get(client, f"/oparl/v1/paper/{paper.pk}/")]
    assert data[0]["deleted"] is True


def test_a_paper_made_public_again_is_served_again(client, public_record):
    paper = Paper.objects.get(visibility=Visibility.PUBLIC)
    paper.visibility = Visibility.INTERNAL
    paper.save()
    paper.visibility = Visibility.PUBLIC
    paper.save()

    answer = get(client, f"/oparl/v1/paper/{paper.pk}/")

    assert "deleted" not in answer
    assert answer["name"] == paper.title


def test_a_meeting_withdrawn_from_the_public_is_deleted_with_its_location(client, public_record):
    meeting = Meeting.objects.get(ordinal=4, kind="regular")
    meeting.is_public = False
    meeting.save()

    answer = get(client, f"/oparl/v1/meeting/{meeting.pk}/")
    place = get(client, f"/oparl/v1/location/{meeting.pk}/")

    assert answer["deleted"] is True
    assert place["deleted"] is True


def test_a_draft_resolution_does_not_exist_in_the_api(client, released):
    _session, resolution = released
    resolution.visibility = Visibility.DRAFT
    resolution.released_at = None
    Resolution.objects.filter(pk=resolution.pk).update(visibility=Visibility.DRAFT)

    answer = client.get(f"/oparl/v1/resolution/{resolution.pk}/")

    assert answer.status_code == 404
    ids = set(full_crawl(client).objects)
    assert f"{SYSTEM}resolution/{resolution.pk}/" not in ids


def test_no_restricted_contact_field_anywhere_in_the_crawl(client, demo):
    report = full_crawl(client)
    text = json.dumps(report.objects, ensure_ascii=False)
    secrets = set()
    for person in Person.objects.all():
        for name in ("email", "phone", "mobile", "office_email", "office_phone", "street"):
            value = getattr(person, name)
            if value:
                secrets.add(value)

    assert len(secrets) > 20
    assert [s for s in secrets if s in text] == []
    for obj in report.objects.values():
        if obj["type"].endswith("/Person"):
            assert not {"email", "phone", "locationObject", "location"} & set(obj)


def test_guests_staff_and_the_secretariat_are_not_public_persons(client, demo):
    names = {o.get("name") for o in full_crawl(client).objects.values() if "Person" in o["type"]}
    public_roles = {
        o["role"] for o in full_crawl(client).objects.values() if o["type"].endswith("Membership")
    }

    assert public_roles == {"Mitglied", "ständige Stellvertretung"}
    assert len(names) == 32


# --- item 4: the vote extension ----------------------------------------------------------


def test_the_vote_extension_lists_16_laender_for_a_public_resolution(client, released):
    _session, resolution = released

    item = get(client, f"/oparl/v1/resolution/{resolution.pk}/")

    votes = item["dmk:votes"]
    assert len(votes) == 16
    by_land = {v["landName"]: v for v in votes}
    assert by_land["Baden-Württemberg"]["choice"] == "yes"
    assert by_land["Baden-Württemberg"]["land"] == f"{SYSTEM}land/DE-BW/"
    assert sum(v["choice"] == "yes" for v in votes) == 12
    assert sum(v["choice"] is None for v in votes) == 2
    assert item["dmk:outcome"] == {
        "rule": "two_thirds_of_members",
        "members": 16,
        "yes": 12,
        "no": 1,
        "abstain": 1,
        "notVoted": 2,
        "threshold": 11,
        "adopted": True,
        "unanimous": False,
    }
    assert item["result"] == "beschlossen"
    assert item["resolutionText"] == "Die DMK empfiehlt offene Schnittstellen."
    # DOMAIN rule 6: the Kabinettsvorbehalt of Bayern is not published
    assert "reserv" not in json.dumps(item).lower()
    assert "Kabinett" not in json.dumps(item, ensure_ascii=False)


def test_the_vote_extension_is_absent_while_the_resolution_is_not_public(client, released):
    _session, resolution = released
    Resolution.objects.filter(pk=resolution.pk).update(visibility=Visibility.INTERNAL)

    text = json.dumps(full_crawl(client).objects)

    assert "dmk:votes" not in text


def test_a_resolution_on_a_public_agenda_item_is_published_inside_that_item(client, released):
    _session, resolution = released
    item = resolution.agenda_item
    item.public = True
    item.save()

    inside = get(client, f"/oparl/v1/agendaItem/{item.pk}/")
    old_id = get(client, f"/oparl/v1/resolution/{resolution.pk}/")

    assert len(inside["dmk:votes"]) == 16
    assert inside["name"] == item.title
    assert old_id["deleted"] is True


# --- item 3: HTTP ------------------------------------------------------------------------


def test_answers_allow_cors_and_conditional_get(client, public_record):
    first = client.get("/oparl/v1/")
    again = client.get("/oparl/v1/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Access-Control-Allow-Origin"] == "*"
    assert first["Content-Type"] == "application/json; charset=utf-8"
    assert first.has_header("Last-Modified")
    assert again.status_code == 304


def test_a_file_of_a_public_paper_carries_size_type_and_sha512(client, public_record):
    import hashlib
    from io import BytesIO

    from dmk.papers.files import check_upload, store_atomically
    from dmk.papers.models import PaperFile

    paper = Paper.objects.get(visibility=Visibility.PUBLIC)
    data = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    checked = check_upload("Konzept.pdf", BytesIO(data), size=len(data))
    stored = PaperFile.objects.create(
        paper=paper,
        version=1,
        original_name="Konzept.pdf",
        file=store_atomically(checked, directory=f"papers/{paper.pk}"),
        content_type=checked.content_type,
        size=len(data),
        sha256=checked.sha256,
        sha512=checked.sha512,
    )

    obj = get(client, f"/oparl/v1/file/{stored.pk}/")
    download = client.get(obj["downloadUrl"].removeprefix(f"http://{HOST}"))

    assert obj["mimeType"] == "application/pdf"
    assert obj["size"] == len(data)
    assert obj["sha512Checksum"] == hashlib.sha512(data).hexdigest()
    assert obj["accessUrl"] == obj["downloadUrl"]
    assert b"".join(download.streaming_content) == data
    assert get(client, f"/oparl/v1/paper/{paper.pk}/")["mainFile"] == obj


# --- speed: queries per list page --------------------------------------------------------


LISTS = [
    "organization",
    "person",
    "meeting",
    "paper",
    "agendaItem",
    "consultation",
    "file",
    "membership",
    "legislativeTerm",
    "location",
]


@pytest.mark.parametrize("name", LISTS)
def test_a_list_page_needs_at_most_ten_queries_whatever_its_length(client, released, name):
    url = body_url(name)
    client.get(url, {"limit": 1})  # warm caches (content types, site)

    with CaptureQueriesContext(connection) as one:
        client.get(url, {"limit": 1})
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"limit": 500})

    assert len(one) <= 10
    assert len(many) <= 10


def _more_public_sessions(n: int, *, start: int = 0) -> None:
    """``n`` more public meetings, each with a public agenda item and a public resolution."""
    from dmk.meetings.models import AgendaItem

    body = Body.objects.get(short_name="DMK")
    for i in range(start, start + n):
        meeting = Meeting.objects.create(
            body=body, kind="special", name=f"Zusatz {i}", slug=f"zusatz-{i}", place="Bonn"
        )
        item = AgendaItem.objects.create(meeting=meeting, order=1, title=f"TOP {i}", public=True)
        Resolution.objects.create(
            body=body,
            meeting=meeting,
            agenda_item=item if i % 2 else None,
            slug=f"zusatz-beschluss-{i}",
            title=f"Beschluss {i}",
            visibility=Visibility.PUBLIC,
        )


@pytest.mark.parametrize("name", ["meeting", "agendaItem", "location"])
def test_a_list_page_needs_the_same_queries_for_one_and_for_more_rows(client, released, name):
    url = body_url(name)
    _more_public_sessions(2)  # every kind of row present once: item with and without resolution
    client.get(url)

    with CaptureQueriesContext(connection) as before:
        first = get(client, url)
    _more_public_sessions(4, start=2)
    with CaptureQueriesContext(connection) as after:
        second = get(client, url)

    assert len(second["data"]) > len(first["data"])
    assert len(after) == len(before)
