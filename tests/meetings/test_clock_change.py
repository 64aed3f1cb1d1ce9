"""Meeting times on a daylight-saving night in Europe/Berlin (issue 18 item 4).

28.03.2027 02:30 does not exist (the clocks go from 02:00 to 03:00); 31.10.2027 02:30 occurs
twice and means its first occurrence (still summer time, UTC+2)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from icalendar import Calendar

from dmk.meetings import services
from dmk.meetings.forms import RescheduleForm
from dmk.meetings.ical import meeting_calendar
from dmk.meetings.models import Meeting
from dmk.meetings.rules import (
    NonexistentLocalTime,
    berlin_datetime,
    berlin_time_label,
    is_ambiguous,
)
from tests.factories import MeetingFactory
from tests.helpers import login_with_second_factor, secretariat_user

SPRING = datetime.date(2027, 3, 28)
AUTUMN = datetime.date(2027, 10, 31)
HALF_PAST_TWO = datetime.time(2, 30)
SKIPPED = (
    "Die Uhrzeit 02:30 Uhr gibt es am 28.03.2027 in Deutschland nicht: In dieser Nacht "
    "beginnt die Sommerzeit, die Uhren werden um 02:00 Uhr auf 03:00 Uhr vorgestellt. Bitte "
    "wählen Sie eine andere Uhrzeit."
)


def test_the_skipped_half_hour_in_march_is_refused_naming_the_clock_change():
    with pytest.raises(NonexistentLocalTime) as excinfo:
        berlin_datetime(SPRING, HALF_PAST_TWO)
    assert excinfo.value.message == SKIPPED


def test_the_repeated_half_hour_in_october_means_the_first_occurrence():
    moment = berlin_datetime(AUTUMN, HALF_PAST_TWO)
    assert moment.astimezone(datetime.UTC) == datetime.datetime(
        2027, 10, 31, 0, 30, tzinfo=datetime.UTC
    )
    assert moment.utcoffset() == datetime.timedelta(hours=2)
    assert is_ambiguous(AUTUMN, HALF_PAST_TWO) is True
    assert is_ambiguous(SPRING, datetime.time(3, 30)) is False
    assert berlin_time_label(AUTUMN, HALF_PAST_TWO) == (
        "02:30 Uhr (UTC+2, das erste Mal in der Nacht der Zeitumstellung)"
    )
    assert berlin_time_label(AUTUMN, datetime.time(10)) == "10:00 Uhr"


def test_the_reschedule_form_refuses_the_skipped_time_and_accepts_the_repeated_one():
    form = RescheduleForm({"start_date": "2027-03-28", "start_time": "02:30"})
    assert form.errors == {"start_time": [SKIPPED]}
    form = RescheduleForm({"start_date": "2027-10-31", "start_time": "02:30", "end_time": "04:00"})
    assert form.errors == {}


@pytest.mark.django_db
def test_the_reschedule_page_refuses_the_skipped_time_and_stores_nothing():
    meeting = MeetingFactory(slug="dmk-7", start_date=datetime.date(2027, 2, 10), place="Kiel")
    client = Client()
    login_with_second_factor(client, secretariat_user())
    response = client.post(
        "/intern/sitzungen/dmk-7/verlegen/",
        {"start_date": "2027-03-28", "start_time": "02:30", "place": "Kiel"},
    )
    assert response.status_code == 400
    assert SKIPPED in response.text
    assert 'value="02:30"' in response.text
    meeting.refresh_from_db()
    assert (meeting.start_date, meeting.start_time) == (datetime.date(2027, 2, 10), None)


@pytest.mark.django_db
def test_the_service_refuses_the_skipped_time_too():
    meeting = MeetingFactory(start_date=datetime.date(2027, 2, 10))
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_reschedule(
            actor=secretariat_user(),
            meeting=meeting,
            start_date=SPRING,
            start_time=HALF_PAST_TWO,
            today=datetime.date(2027, 1, 1),
        )
    assert excinfo.value.message_dict == {"start_time": [SKIPPED]}


@pytest.mark.django_db
def test_the_back_office_model_validation_refuses_the_skipped_time():
    meeting = MeetingFactory(start_date=SPRING, start_time=HALF_PAST_TWO)
    with pytest.raises(ValidationError) as excinfo:
        meeting.clean()
    assert excinfo.value.message_dict == {"start_time": [SKIPPED]}


@pytest.mark.django_db
def test_a_repeated_time_is_shown_with_its_offset_and_sent_as_the_first_occurrence():
    meeting = MeetingFactory(
        slug="dmk-8", start_date=AUTUMN, start_time=HALF_PAST_TWO, end_time=datetime.time(4)
    )
    assert meeting.time_label == (
        "02:30 Uhr (UTC+2, das erste Mal in der Nacht der Zeitumstellung) – 04:00 Uhr"
    )
    event = Calendar.from_ical(meeting_calendar(meeting)).walk("VEVENT")[0]
    start = event.decoded("DTSTART")
    assert start.astimezone(datetime.UTC) == datetime.datetime(
        2027, 10, 31, 0, 30, tzinfo=datetime.UTC
    )
    assert Meeting.objects.get(pk=meeting.pk).time_label == meeting.time_label
