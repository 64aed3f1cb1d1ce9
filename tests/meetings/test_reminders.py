"""Reminders to Länder that have not yet registered or submitted (issue 5 item 4; DOMAIN
rule 7: deadlines are Europe/Berlin dates and the platform warns before they pass).

The meeting on 2027-04-19 has (defaults 6/4/2 weeks) the registration deadline 2027-03-22
and the papers deadline 2027-04-05; reminders go out from 3 days before
(``DMK_REMINDER_DAYS_BEFORE``).
"""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from dmk.bodies.models import MembershipRole
from dmk.core.models import ActivityLog
from dmk.meetings.models import Attendance, Reminder
from dmk.papers.reminders import send_due_reminders
from tests.factories import (
    ChairPeriodFactory,
    MeetingFactory,
    MembershipFactory,
    PaperFactory,
    PersonFactory,
    StateFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

MEETING_DAY = datetime.date(2027, 4, 19)
REGISTRATION = datetime.date(2027, 3, 22)
PAPERS = datetime.date(2027, 4, 5)


@pytest.fixture
def scene():
    bremen = StateFactory(code="DE-HB", name_de="Bremen")
    saxony = StateFactory(code="DE-SN", name_de="Sachsen")
    meeting = MeetingFactory(name="5. Digitalministerkonferenz", start_date=MEETING_DAY)
    user_with_role(MembershipRole.MEMBER, bremen, email="senatorin@bremen.example")
    user_with_role(MembershipRole.MEMBER, saxony, email="Minister@Sachsen.example")
    user_with_role(MembershipRole.PERMANENT_DEPUTY, saxony, email="stv@sachsen.example")
    user_with_role(MembershipRole.STATE_STAFF, saxony, email="referat@sachsen.example")
    # not a contact of Saxony: a guest, the Geschäftsstelle, a former member
    user_with_role(MembershipRole.GUEST, None, email="gast@example.org")
    user_with_role(MembershipRole.SECRETARIAT, None, email="gs@dmk.example")
    MembershipFactory(
        person=PersonFactory(email="ehemals@sachsen.example"),
        on_behalf_of=saxony,
        chair_period=ChairPeriodFactory(
            start_date=datetime.date(2019, 1, 1), end_date=datetime.date(2019, 12, 31)
        ),
        end_date=datetime.date(2019, 12, 31),
    )
    Attendance.objects.create(meeting=meeting, state=bremen, role="member")
    return {"meeting": meeting, "bremen": bremen, "saxony": saxony}


SAXONY = ["minister@sachsen.example", "referat@sachsen.example", "stv@sachsen.example"]


def test_only_the_land_that_has_not_registered_is_reminded_at_its_contacts(
    scene, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        due = send_due_reminders(today=REGISTRATION - datetime.timedelta(days=2))
    assert [(d.state.name_de, d.kind, d.deadline) for d in due] == [
        ("Sachsen", "attendance", REGISTRATION)
    ]
    assert sorted(m.to[0] for m in mail.outbox) == SAXONY
    assert all(len(m.to) == 1 for m in mail.outbox)
    message = mail.outbox[0]
    assert message.subject == (
        "Erinnerung: Anmeldung zur Sitzung „5. Digitalministerkonferenz“ am 19.04.2027"
    )
    assert "hat das Land Sachsen noch nicht gemeldet, wer es vertritt" in message.body
    assert "bis zum 22.03.2027 (24 Uhr)" in message.body
    assert f"/intern/sitzungen/{scene['meeting'].slug}/" in message.body
    reminder = Reminder.objects.get()
    assert (reminder.state, reminder.kind, reminder.deadline) == (
        scene["saxony"],
        "attendance",
        REGISTRATION,
    )
    assert reminder.recipients == SAXONY
    assert reminder.sent_at is not None
    log = ActivityLog.objects.get(action="meetings.reminder.sent")
    assert log.data == {
        "meeting": scene["meeting"].pk,
        "state": "DE-SN",
        "kind": "attendance",
        "deadline": "2027-03-22",
        "recipients": 3,
    }


def test_a_second_run_sends_nothing(scene, django_capture_on_commit_callbacks):
    today = REGISTRATION - datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        again = send_due_reminders(today=REGISTRATION)
    assert again == []
    assert len(mail.outbox) == 3
    assert Reminder.objects.count() == 1


def test_a_dry_run_records_and_sends_nothing(scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        due = send_due_reminders(today=REGISTRATION, dry_run=True)
    assert [d.state.name_de for d in due] == ["Sachsen"]
    assert mail.outbox == []
    assert Reminder.objects.count() == 0


def test_no_reminder_before_the_lead_time_or_after_the_deadline(scene):
    assert send_due_reminders(today=REGISTRATION - datetime.timedelta(days=4)) == []
    assert send_due_reminders(today=REGISTRATION + datetime.timedelta(days=1)) == []
    assert Reminder.objects.count() == 0


def test_a_land_that_answered_not_attending_is_not_reminded(scene):
    Attendance.objects.create(meeting=scene["meeting"], state=scene["saxony"], role="none")
    assert send_due_reminders(today=REGISTRATION, dry_run=True) == []


def test_a_cancelled_meeting_sends_no_reminder(scene):
    scene["meeting"].state = "cancelled"
    scene["meeting"].save()
    assert send_due_reminders(today=REGISTRATION, dry_run=True) == []


def test_before_the_papers_deadline_the_land_without_a_submitted_paper_is_reminded(
    scene, django_capture_on_commit_callbacks
):
    submitted = PaperFactory(author_state=scene["bremen"], visibility="internal")
    submitted.consultations.create(meeting=scene["meeting"], submitted_at=timezone.now())
    # a draft of Saxony that was never submitted does not count
    PaperFactory(author_state=scene["saxony"])
    with django_capture_on_commit_callbacks(execute=True):
        due = send_due_reminders(today=PAPERS - datetime.timedelta(days=3))
    assert [(d.state.name_de, d.kind, d.deadline) for d in due] == [
        ("Sachsen", "submission", PAPERS)
    ]
    assert sorted(m.to[0] for m in mail.outbox) == SAXONY
    assert mail.outbox[0].subject == (
        "Erinnerung: Vorlagenfrist für die Sitzung „5. Digitalministerkonferenz“ am 19.04.2027"
    )
    assert "Die Vorlagenfrist endet am 05.04.2027 um 24 Uhr" in mail.outbox[0].body


def test_the_command_dry_run_lists_and_sends_nothing(scene, settings):
    settings.DMK_REMINDER_DAYS_BEFORE = 400
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines == [
        "5. Digitalministerkonferenz | Sachsen | attendance | Frist 22.03.2027 | "
        + ", ".join(SAXONY),
        "5. Digitalministerkonferenz | Bremen | submission | Frist 05.04.2027 | "
        "senatorin@bremen.example",
        "5. Digitalministerkonferenz | Sachsen | submission | Frist 05.04.2027 | "
        + ", ".join(SAXONY),
        "3 Erinnerungen würden gesendet.",
    ]
    assert Reminder.objects.count() == 0
    assert mail.outbox == []


def test_the_command_sends_with_the_configured_lead_time(scene, settings):
    settings.DMK_REMINDER_DAYS_BEFORE = 1
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().splitlines()[-1] == "0 Erinnerungen gesendet."
    call_command("send_reminders", "--days-before", "400", stdout=out)
    assert out.getvalue().splitlines()[-1] == "3 Erinnerungen gesendet."
    assert sorted(Reminder.objects.values_list("state__code", "kind")) == [
        ("DE-HB", "submission"),
        ("DE-SN", "attendance"),
        ("DE-SN", "submission"),
    ]


def test_the_command_enqueues_the_job(scene, settings):
    settings.DMK_REMINDER_DAYS_BEFORE = 400
    out = StringIO()
    call_command("send_reminders", "--enqueue", stdout=out)
    assert out.getvalue().startswith("Auftrag eingereiht: ")
    # the test backend runs the job at once
    assert Reminder.objects.count() == 3


# --- the Geschäftsstelle's button on the meeting page ---------------------------------------


def _client(user):
    from django.test import Client

    from tests.helpers import login_with_second_factor

    client = Client()
    login_with_second_factor(client, user)
    return client


@pytest.fixture
def near_meeting(scene):
    """The scene's meeting moved so that its registration deadline is in ten days: outside
    the automatic lead time, but the button reminds at once."""
    meeting = scene["meeting"]
    meeting.start_date = timezone.localdate() + datetime.timedelta(weeks=4, days=10)
    meeting.save()
    return meeting


def test_the_geschaeftsstelle_button_reminds_the_missing_lands_once(
    near_meeting, django_capture_on_commit_callbacks
):
    from tests.helpers import secretariat_user

    client = _client(secretariat_user())
    page = client.get(f"/intern/sitzungen/{near_meeting.slug}/").content.decode()
    assert "Erinnerung senden" in page
    url = f"/intern/sitzungen/{near_meeting.slug}/erinnerung/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert response.redirect_chain == [(f"/intern/sitzungen/{near_meeting.slug}/", 302)]
    assert "Erinnerungen an 2 Länder werden versandt." in response.content.decode()
    assert sorted(Reminder.objects.values_list("state__code", "kind")) == [
        ("DE-HB", "submission"),
        ("DE-SN", "attendance"),
        ("DE-SN", "submission"),
    ]
    assert len(mail.outbox) == 7  # 3 + 3 for Saxony, 1 for Bremen
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, follow=True)
    assert "Keine neuen Erinnerungen" in again.content.decode()
    assert len(mail.outbox) == 7


def test_others_get_403_from_the_button_and_do_not_see_it(near_meeting, scene):
    staff = user_with_role(MembershipRole.STATE_STAFF, scene["bremen"])
    client = _client(staff)
    assert (
        "Erinnerung senden"
        not in client.get(f"/intern/sitzungen/{near_meeting.slug}/").content.decode()
    )
    assert client.post(f"/intern/sitzungen/{near_meeting.slug}/erinnerung/").status_code == 403
    assert client.get(f"/intern/sitzungen/{near_meeting.slug}/erinnerung/").status_code == 405
    assert Reminder.objects.count() == 0
