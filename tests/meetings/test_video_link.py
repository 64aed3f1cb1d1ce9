"""The video link of a meeting (issue 5 item 1: "venue and address and/or a video link").

Only ``https://`` addresses are accepted. The link is internal: the portal meeting page and
the e-mailed invitation (iCalendar REQUEST) carry it; the public website, the public feed
``/sitzungen.ics`` and the personal feed ``/kalender/<token>.ics`` (which carries no internal
details, ``dmk.meetings.feeds``) never do (DOMAIN rule 11)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from icalendar import Calendar

from dmk.bodies.models import MembershipRole
from dmk.core.models import ActivityLog
from dmk.meetings import feeds, services
from dmk.meetings.forms import MeetingForm, RescheduleForm
from dmk.meetings.ical import meeting_calendar
from dmk.meetings.models import GuestInvitation, Meeting, MeetingState
from tests.factories import MeetingFactory, StateFactory, give_totp, user_with_role
from tests.helpers import login_with_second_factor, secretariat_user

pytestmark = pytest.mark.django_db

VIDEO = "https://video.dmk.example/raum/5-dmk?pwd=geheim"
MESSAGE = "Bitte geben Sie eine https-Adresse der Videokonferenz an."


def _client(user) -> Client:
    client = Client()
    login_with_second_factor(client, user)
    return client


@pytest.fixture
def gs_user():
    return secretariat_user()


@pytest.fixture
def meeting():
    return MeetingFactory(
        name="5. Digitalministerkonferenz",
        slug="dmk-5",
        start_date=datetime.date(2027, 2, 10),
        place="Bremen",
        venue="Rathaus",
        video_url=VIDEO,
    )


# --- forms ------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["http://video.dmk.example/raum", "video.dmk.example/raum"])
def test_the_forms_refuse_an_address_that_is_not_https(typed):
    data = {"kind": "regular", "name": "6. DMK", "start_date": "2027-05-05", "video_url": typed}
    for form in (MeetingForm(data), RescheduleForm(data)):
        assert not form.is_valid()
        assert form.errors["video_url"] == [MESSAGE]
        assert form["video_url"].value() == typed  # shown again as typed, no "http://" added


def test_the_forms_accept_https_and_an_empty_link():
    for video_url in (VIDEO, ""):
        form = RescheduleForm({"start_date": "2027-05-05", "video_url": video_url})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["video_url"] == video_url


def test_a_refused_new_meeting_shows_the_typed_values_and_stores_nothing(gs_user):
    response = _client(gs_user).post(
        "/intern/sitzungen/neu/",
        {
            "kind": "special",
            "name": "Sondersitzung KI",
            "start_date": "2027-05-05",
            "video_url": "http://video.dmk.example/ki",
        },
    )
    assert response.status_code == 400
    assert MESSAGE in response.text
    assert 'value="http://video.dmk.example/ki"' in response.text
    assert 'value="Sondersitzung KI"' in response.text
    assert not Meeting.objects.filter(name="Sondersitzung KI").exists()


def test_a_new_meeting_keeps_its_https_link(gs_user):
    response = _client(gs_user).post(
        "/intern/sitzungen/neu/",
        {
            "kind": "special",
            "name": "Sondersitzung KI",
            "start_date": "2027-05-05",
            "video_url": VIDEO,
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.get(name="Sondersitzung KI").video_url == VIDEO


# --- services ---------------------------------------------------------------------------------


def test_meeting_create_stores_the_link_and_refuses_http(gs_user):
    from tests.factories import BodyFactory

    body = BodyFactory()
    created = services.meeting_create(
        actor=gs_user,
        body=body,
        kind="special",
        name="Sondersitzung",
        start_date=datetime.date(2027, 5, 5),
        video_url=f"  {VIDEO} ",
        today=datetime.date(2027, 1, 1),
    )
    assert created.video_url == VIDEO
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_create(
            actor=gs_user,
            body=body,
            kind="special",
            name="Zweite",
            start_date=datetime.date(2027, 5, 5),
            video_url="http://video.dmk.example/x",
            today=datetime.date(2027, 1, 1),
        )
    assert excinfo.value.message_dict == {"video_url": [MESSAGE]}
    assert not Meeting.objects.filter(name="Zweite").exists()


def test_a_changed_link_raises_the_sequence_and_resends_the_invitation(
    gs_user, meeting, django_capture_on_commit_callbacks, mailoutbox
):
    """A changed link is a change like a changed place: SEQUENCE + 1, updated REQUEST
    (RFC 5546 §2.1.4) to every invitee; the audit entry says that it changed, not the link
    (which may hold a passcode)."""
    user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-HB"), email="hb@bremen.example")
    meeting.state = MeetingState.INVITED
    meeting.save(update_fields=["state"])
    new_link = "https://video.dmk.example/raum/neu"
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_reschedule(
            actor=gs_user,
            meeting=meeting,
            start_date=meeting.start_date,
            video_url=new_link,
            today=datetime.date(2027, 1, 1),
        )
    meeting.refresh_from_db()
    assert (meeting.video_url, meeting.ical_sequence) == (new_link, 1)
    entry = ActivityLog.objects.get(action="meetings.meeting.reschedule")
    assert entry.data["video_url_changed"] is True
    assert new_link not in str(entry.data)
    to_bremen = [m for m in mailoutbox if m.to == ["hb@bremen.example"]]
    assert len(to_bremen) == 1
    event = Calendar.from_ical(to_bremen[0].attachments[0][1]).walk("VEVENT")[0]
    assert (str(event["URL"]), event["SEQUENCE"]) == (new_link, 1)


def test_reschedule_refuses_http_and_keeps_the_old_link(gs_user, meeting):
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_reschedule(
            actor=gs_user,
            meeting=meeting,
            start_date=meeting.start_date,
            video_url="http://video.dmk.example/x",
            today=datetime.date(2027, 1, 1),
        )
    assert excinfo.value.message_dict == {"video_url": [MESSAGE]}
    meeting.refresh_from_db()
    assert (meeting.video_url, meeting.ical_sequence) == (VIDEO, 0)


def test_the_reschedule_page_shows_the_link_and_a_refusal_keeps_what_was_typed(gs_user, meeting):
    client = _client(gs_user)
    page = client.get("/intern/sitzungen/dmk-5/verlegen/")
    assert f'value="{VIDEO}"' in page.text.replace("&amp;", "&")
    response = client.post(
        "/intern/sitzungen/dmk-5/verlegen/",
        {"start_date": "2027-03-03", "place": "Kiel", "video_url": "http://video.dmk.example/y"},
    )
    assert response.status_code == 400
    assert MESSAGE in response.text
    assert 'value="http://video.dmk.example/y"' in response.text
    assert 'value="Kiel"' in response.text
    meeting.refresh_from_db()
    assert (meeting.place, meeting.video_url, meeting.ical_sequence) == ("Bremen", VIDEO, 0)


# --- where the link is shown ------------------------------------------------------------------


def test_the_portal_page_shows_the_link_to_members_and_invited_guests(meeting):
    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-HB"))
    guest = user_with_role(MembershipRole.GUEST, None)
    GuestInvitation.objects.create(meeting=meeting, person=guest.person)
    link = f'<a href="{VIDEO}" rel="noopener noreferrer">{VIDEO}</a>'.replace("&", "&amp;")
    for user in (member, guest, secretariat_user()):
        page = _client(user).get("/intern/sitzungen/dmk-5/")
        assert page.status_code == 200
        assert "Videokonferenz" in page.text
        assert link in page.text


def test_the_public_meeting_page_never_shows_the_link(meeting):
    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-HB"))
    for client in (Client(), _client(member)):
        page = client.get("/sitzungen/dmk-5/")
        assert page.status_code == 200
        assert "5. Digitalministerkonferenz" in page.text
        assert "video.dmk.example" not in page.text
        assert "Videokonferenz" not in page.text


def test_the_public_and_the_personal_feed_never_carry_the_link(meeting):
    public = Client().get("/sitzungen.ics")
    assert public.status_code == 200
    assert [str(e["SUMMARY"]) for e in Calendar.from_ical(public.content).walk("VEVENT")] == [
        "5. Digitalministerkonferenz"
    ]
    assert b"video.dmk.example" not in public.content

    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-HB"))
    give_totp(member)
    _feed, token = feeds.calendar_feed_create(actor=member)
    personal = Client().get(f"/kalender/{token}.ics")
    assert personal.status_code == 200
    events = Calendar.from_ical(personal.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["5. Digitalministerkonferenz"]
    assert str(events[0]["URL"]).endswith("/intern/sitzungen/dmk-5/")  # the portal page only
    assert b"video.dmk.example" not in personal.content


def test_the_invitation_carries_the_link_as_url_and_in_the_description(meeting):
    event = Calendar.from_ical(meeting_calendar(meeting, method="REQUEST")).walk("VEVENT")[0]
    assert str(event["URL"]) == VIDEO
    assert str(event["DESCRIPTION"]) == f"Videokonferenz: {VIDEO}"
    assert str(event["LOCATION"]) == "Rathaus, Bremen"


def test_an_online_only_invitation_has_the_link_as_location(meeting):
    meeting.place = meeting.venue = ""
    event = Calendar.from_ical(meeting_calendar(meeting, method="REQUEST")).walk("VEVENT")[0]
    assert (str(event["LOCATION"]), str(event["URL"])) == (VIDEO, VIDEO)


def test_a_cancellation_does_not_repeat_the_link(meeting):
    event = Calendar.from_ical(meeting_calendar(meeting, method="CANCEL")).walk("VEVENT")[0]
    assert "URL" not in event and "DESCRIPTION" not in event


@pytest.mark.parametrize(
    ("place", "phrase"),
    [("Bremen", "am 10.02.2027 in Bremen ein."), ("", "am 10.02.2027 per Videokonferenz ein.")],
)
def test_the_invitation_text_names_the_link_and_an_online_only_session(meeting, place, phrase):
    """The mail's text, not only its attachment, gives the link; a session without a place
    reads "per Videokonferenz", never "in noch offen"."""
    from dmk.meetings.tasks import send_meeting_calendar_task

    meeting.place = place
    meeting.save(update_fields=["place"])

    send_meeting_calendar_task.call(meeting.pk, "REQUEST", ["hb@bremen.example"])

    from django.core import mail

    body = mail.outbox[-1].body
    assert phrase in body
    assert f"Videokonferenz: {VIDEO}\n" in body
