"""Attacks on the agenda management, the chair's consent to Tischvorlagen and the reminder
button of the meeting page ``/intern/sitzungen/<slug>/`` (issue 5 items 2, 4, 5 and 8; DOMAIN
rules 7 and 11): wrong roles, password-only sessions, items and papers of another meeting,
GET instead of POST, missing CSRF token, garbage parameters. Never a 500, nothing written."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from dmk.bodies.models import MembershipRole
from dmk.meetings.models import AgendaItem, Meeting, Reminder
from dmk.papers.models import Consultation
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    PaperFactory,
    PersonFactory,
    StateFactory,
    user_with_role,
)
from tests.helpers import login_with_second_factor, secretariat_user

pytestmark = pytest.mark.django_db

PAGE = "/intern/sitzungen/naechste"


def _client(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    login_with_second_factor(client, user)
    return client


@pytest.fixture
def gs_user():
    return secretariat_user(email="gs@dmk.example")


@pytest.fixture
def gs(gs_user):
    return _client(gs_user)


@pytest.fixture
def meeting():
    return MeetingFactory(slug="naechste")


@pytest.fixture
def items(meeting):
    return [
        AgendaItemFactory(meeting=meeting, number=str(n), title=f"TOP {n}", order=n)
        for n in (1, 2, 3)
    ]


@pytest.fixture
def other_item():
    return AgendaItemFactory(meeting=MeetingFactory(slug="andere"), number="9", order=1)


@pytest.fixture
def tischvorlage(meeting):
    return Consultation.objects.create(
        paper=PaperFactory(title="Späte Vorlage", visibility="internal"),
        meeting=meeting,
        submitted_at=timezone.now(),
        is_tischvorlage=True,
    )


def _orders(meeting) -> list[tuple[str, int]]:
    return list(meeting.agenda_items.order_by("order").values_list("number", "order"))


@pytest.mark.parametrize("agenda_item", ["²", "١", "-1", "1.5", "9" * 40, "", "<script>", "\x00"])
def test_garbage_agenda_item_on_consent_is_a_german_refusal(gs, tischvorlage, items, agenda_item):
    response = gs.post(
        f"{PAGE}/vorlagen/{tischvorlage.pk}/",
        {"decision": "consent", "agenda_item": agenda_item},
        follow=True,
    )

    assert response.status_code == 200
    assert "Bitte wählen Sie einen Tagesordnungspunkt." in response.text
    tischvorlage.refresh_from_db()
    assert (tischvorlage.agenda_item, tischvorlage.chair_consent_at) == (None, None)


def test_consent_onto_an_item_of_another_meeting_is_refused(gs, tischvorlage, other_item):
    gs.post(
        f"{PAGE}/vorlagen/{tischvorlage.pk}/",
        {"decision": "consent", "agenda_item": other_item.pk},
    )

    tischvorlage.refresh_from_db()
    assert tischvorlage.agenda_item is None


def test_a_consultation_of_another_meeting_is_404(gs, meeting, items):
    foreign = Consultation.objects.create(
        paper=PaperFactory(visibility="internal"),
        meeting=MeetingFactory(slug="fremd"),
        submitted_at=timezone.now(),
    )

    response = gs.post(
        f"{PAGE}/vorlagen/{foreign.pk}/", {"decision": "consent", "agenda_item": items[0].pk}
    )

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.agenda_item is None


@pytest.mark.parametrize("direction", ["", "left", "-999999", "99999999999999999999", "UP"])
def test_a_move_with_a_garbage_direction_changes_nothing(gs, meeting, items, direction):
    before = _orders(meeting)

    response = gs.post(f"{PAGE}/tagesordnung/{items[1].pk}/verschieben/", {"direction": direction})

    assert response.status_code == 302
    assert _orders(meeting) == before


def test_moving_the_first_up_and_the_last_down_changes_nothing(gs, meeting, items):
    before = _orders(meeting)
    gs.post(f"{PAGE}/tagesordnung/{items[0].pk}/verschieben/", {"direction": "up"})
    gs.post(f"{PAGE}/tagesordnung/{items[2].pk}/verschieben/", {"direction": "down"})

    assert _orders(meeting) == before


def test_a_double_click_on_move_moves_twice_but_keeps_the_orders_distinct(gs, meeting, items):
    for _click in range(2):
        gs.post(f"{PAGE}/tagesordnung/{items[2].pk}/verschieben/", {"direction": "up"})

    assert [n for n, _o in _orders(meeting)] == ["3", "1", "2"]
    assert len({o for _n, o in _orders(meeting)}) == 3


@pytest.mark.parametrize("action", ["verschieben", "entfernen"])
def test_items_of_another_meeting_and_made_up_ids_are_404(gs, meeting, other_item, action):
    assert gs.post(f"{PAGE}/tagesordnung/{other_item.pk}/{action}/").status_code == 404
    assert gs.post(f"{PAGE}/tagesordnung/987654/{action}/").status_code == 404
    assert gs.post(f"{PAGE}/tagesordnung/{10**30}/{action}/").status_code == 404
    assert AgendaItem.objects.filter(pk=other_item.pk).exists()


@pytest.mark.parametrize("action", ["verschieben", "entfernen"])
def test_get_on_a_button_url_is_405(gs, items, action):
    assert gs.get(f"{PAGE}/tagesordnung/{items[0].pk}/{action}/").status_code == 405
    assert AgendaItem.objects.filter(pk=items[0].pk).exists()


def test_remove_without_csrf_token_is_403(gs_user, items):
    client = _client(gs_user, csrf=True)

    assert client.post(f"{PAGE}/tagesordnung/{items[0].pk}/entfernen/").status_code == 403
    assert AgendaItem.objects.filter(pk=items[0].pk).exists()


@pytest.mark.parametrize("who", ["member", "staff", "guest", "password_only_gs", "anonymous"])
def test_nobody_but_the_geschaeftsstelle_with_second_factor_writes(
    meeting, items, tischvorlage, who
):
    client = Client()
    if who == "password_only_gs":
        client.force_login(secretariat_user())
    elif who != "anonymous":
        role = {
            "member": MembershipRole.MEMBER,
            "staff": MembershipRole.STATE_STAFF,
            "guest": MembershipRole.GUEST,
        }[who]
        login_with_second_factor(client, user_with_role(role, StateFactory()))
    before = _orders(meeting)

    answers = [
        client.post(f"{PAGE}/tagesordnung/neu/", {"number": "7", "title": "X", "kind": "exchange"}),
        client.post(f"{PAGE}/tagesordnung/{items[0].pk}/", {"number": "1", "title": "Y"}),
        client.post(f"{PAGE}/tagesordnung/{items[2].pk}/verschieben/", {"direction": "up"}),
        client.post(f"{PAGE}/tagesordnung/{items[0].pk}/entfernen/"),
        client.post(f"{PAGE}/status/", {"action": "cancel"}),
        client.post(f"{PAGE}/vorlagen/{tischvorlage.pk}/", {"decision": "refuse"}),
        client.post(f"{PAGE}/erinnerung/"),
    ]

    assert {a.status_code for a in answers} <= {302, 403, 404}
    assert all(a.status_code != 302 or "/konto/" in a["Location"] for a in answers)
    assert _orders(meeting) == before
    assert Meeting.objects.get(pk=meeting.pk).state == meeting.state
    tischvorlage.refresh_from_db()
    assert tischvorlage.chair_refused_at is None
    assert not Reminder.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"number": "1" * 21, "title": "Zu lange Nummer"},
        {"number": "4", "title": "T" * 501},
        {"number": "4", "title": "Null\x00Byte"},
        {"number": "4", "title": "Ohne Art", "kind": "erfunden"},
        {"number": "4", "title": "Fremdes Land", "lead_states": ["987654"]},
        {"number": "4", "title": "Riesiges Land", "lead_states": ["9" * 30]},
        {"number": "4", "title": "Negatives Land", "lead_states": ["-" + "9" * 30]},
        {"number": "4", "title": "Riesiges Thema", "topics": ["1", " 9" + "9" * 30]},
        {"number": "4", "title": "Unterstriche", "lead_states": ["9_" * 30 + "9"]},
    ],
)
def test_garbage_agenda_input_is_a_400_and_nothing_is_stored(gs, meeting, fields):
    response = gs.post(f"{PAGE}/tagesordnung/neu/", {"kind": "exchange", **fields})

    assert response.status_code == 400
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_script_in_a_title_is_escaped_on_the_meeting_page(gs, meeting):
    gs.post(
        f"{PAGE}/tagesordnung/neu/",
        {"number": "5", "title": "<script>alert(1)</script>", "kind": "exchange"},
    )

    page = gs.get(f"{PAGE}/").text

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    "fields",
    [
        {"start_date": "2027-02-30"},
        {"start_date": "99999-01-01"},
        {"start_date": "2027-05-03", "end_date": "2027-05-01"},
        {"start_date": "2027-05-03", "start_time": "25:61"},
        {"start_date": "2027-05-03", "place": "O" * 201},
    ],
)
def test_garbage_rescheduling_is_a_400_and_nothing_changes(gs, meeting, fields):
    before = (meeting.start_date, meeting.place, meeting.ical_sequence)

    response = gs.post(f"{PAGE}/verlegen/", fields)

    assert response.status_code == 400
    meeting.refresh_from_db()
    assert (meeting.start_date, meeting.place, meeting.ical_sequence) == before


def test_an_unknown_state_action_changes_nothing(gs, meeting):
    response = gs.post(f"{PAGE}/status/", {"action": "delete"}, follow=True)

    assert "Unbekannte Aktion." in response.text
    assert Meeting.objects.get(pk=meeting.pk).state == meeting.state


def test_the_reminder_button_twice_sends_once_and_get_is_405(gs, mailoutbox):
    today = timezone.localdate()
    MeetingFactory(slug="bald", start_date=today + datetime.timedelta(days=60))
    bremen = StateFactory(code="DE-HB", name_de="Bremen")
    contact = PersonFactory(user=None, state=bremen, email="hb@land.example")
    MembershipFactory(person=contact, role=MembershipRole.MEMBER, on_behalf_of=bremen)

    assert gs.get("/intern/sitzungen/bald/erinnerung/").status_code == 405
    gs.post("/intern/sitzungen/bald/erinnerung/")
    first = Reminder.objects.count()
    assert first >= 1
    gs.post("/intern/sitzungen/bald/erinnerung/")

    assert Reminder.objects.count() == first
    assert gs.post("/intern/sitzungen/gibt-es-nicht/erinnerung/").status_code == 404


def test_a_line_break_in_a_meeting_name_cannot_inject_mail_headers(gs, mailoutbox):
    """A name pasted with a line break (``/intern/sitzungen/neu/``) reaches the subject of the
    reminder e-mails (issue 5 item 4): the reminder must still go out, as one line, without an
    injected header."""
    from dmk.meetings.tasks import send_reminder_task

    day = timezone.localdate() + datetime.timedelta(days=60)
    response = gs.post(
        "/intern/sitzungen/neu/",
        {
            "kind": "special",
            "name": "Sonder-DMK\r\nBcc: opfer@evil.example",
            "start_date": day.isoformat(),
            "place": "Mainz",
        },
    )
    meeting = Meeting.objects.filter(start_date=day).first()
    if meeting is None:  # refused by the form: nothing can reach a mail header
        assert response.status_code == 400
        return
    bremen = StateFactory(code="DE-HB", name_de="Bremen")
    contact = PersonFactory(user=None, state=bremen, email="hb@land.example")
    MembershipFactory(person=contact, role=MembershipRole.MEMBER, on_behalf_of=bremen)
    gs.post(f"/intern/sitzungen/{meeting.slug}/erinnerung/")
    reminder = Reminder.objects.get(meeting=meeting, kind="attendance")

    assert send_reminder_task.call(reminder.pk) == 1

    subject = mailoutbox[-1].subject
    assert subject.startswith("Erinnerung: Anmeldung zur Sitzung „Sonder-DMK Bcc: opfer@")
    assert "\n" not in subject and "\r" not in subject
    assert mailoutbox[-1].message()["Bcc"] is None
    assert mailoutbox[-1].recipients() == ["hb@land.example"]


@pytest.mark.parametrize("closed", ["held", "minutes_released", "cancelled"])
@pytest.mark.parametrize("decision", ["consent", "refuse"])
def test_no_tischvorlage_decision_on_a_closed_agenda(gs, meeting, tischvorlage, closed, decision):
    """Once the meeting is held, minuted or cancelled its agenda is closed (the services'
    ``_lock_open_agenda``): the chair's consent or refusal cannot change the record any more."""
    item = AgendaItemFactory(meeting=meeting, number="4")
    Meeting.objects.filter(pk=meeting.pk).update(state=closed)

    response = gs.post(
        f"{PAGE}/vorlagen/{tischvorlage.pk}/",
        {"decision": decision, "agenda_item": item.pk},
        follow=True,
    )

    assert response.status_code == 200
    assert "Die Tagesordnung dieser Sitzung kann nicht mehr geändert werden." in response.text
    tischvorlage.refresh_from_db()
    assert (tischvorlage.agenda_item, tischvorlage.chair_consent_at) == (None, None)
    assert tischvorlage.chair_refused_at is None


@pytest.mark.parametrize("closed", ["held", "minutes_released", "cancelled"])
def test_no_agenda_or_date_change_on_a_closed_meeting(gs, meeting, items, closed):
    """A careless click on a stale page after the meeting: the record stays as it is."""
    Meeting.objects.filter(pk=meeting.pk).update(state=closed)
    before = _orders(meeting)
    day = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()

    gs.post(f"{PAGE}/tagesordnung/neu/", {"number": "9", "title": "Nachzügler", "kind": "exchange"})
    gs.post(
        f"{PAGE}/tagesordnung/{items[0].pk}/", {"number": "1", "title": "Neu", "kind": "exchange"}
    )
    gs.post(f"{PAGE}/tagesordnung/{items[2].pk}/verschieben/", {"direction": "up"})
    gs.post(f"{PAGE}/tagesordnung/{items[0].pk}/entfernen/")
    gs.post(f"{PAGE}/verlegen/", {"start_date": day, "place": "Kiel"})

    assert _orders(meeting) == before
    assert AgendaItem.objects.get(pk=items[0].pk).title == "TOP 1"
    fresh = Meeting.objects.get(pk=meeting.pk)
    assert (fresh.state, fresh.start_date, fresh.place) == (
        closed,
        meeting.start_date,
        meeting.place,
    )


def test_script_in_a_top_number_is_escaped_in_the_success_message(gs, meeting):
    response = gs.post(
        f"{PAGE}/tagesordnung/neu/",
        {"number": "<script>x</script>", "title": "Nummer", "kind": "exchange"},
        follow=True,
    )

    assert "<script>x</script>" not in response.text
    assert "&lt;script&gt;x&lt;/script&gt;" in response.text


@pytest.mark.parametrize("token", ["foreign", "kein-uuid", "0" * 1000])
def test_a_submission_token_of_another_land_or_garbage_reaches_no_paper(client, token):
    """Paper.submission_token stops a double click (issue 5 item 2); it must not become a way
    to another Land's draft (DOMAIN rule 11), and garbage is a form error."""
    import uuid

    from dmk.bodies.models import Body
    from dmk.papers.models import Paper
    from tests.factories import BodyFactory

    if not Body.objects.filter(short_name="DMK").exists():
        BodyFactory(short_name="DMK")
    bayern, berlin = StateFactory(code="DE-BY"), StateFactory(code="DE-BE")
    foreign = PaperFactory(
        title="Entwurf Bayern", author_state=bayern, submission_token=uuid.uuid4()
    )
    login_with_second_factor(client, user_with_role(MembershipRole.MEMBER, berlin))
    value = str(foreign.submission_token) if token == "foreign" else token

    response = client.post(
        "/intern/vorlagen/neu/",
        {
            "state": berlin.pk,
            "title": "Entwurf Berlin",
            "paper_type": "proposal",
            "text_source": "Text",
            "submission_token": value,
        },
    )

    assert response.status_code == 400
    assert "Entwurf Bayern" not in response.text
    assert not Paper.objects.filter(author_state=berlin).exists()
