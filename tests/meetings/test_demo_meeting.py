"""The demo holds a prepared next session of the chair Hamburg (issue 5 "Done when")."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from dmk.demo.meeting import load_demo_meeting
from dmk.demo.organisation import load_demo
from dmk.meetings.models import Meeting
from dmk.papers.models import Consultation

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_session_is_the_5th_in_hamburg_with_agenda_papers_and_attendance(
    public_record, django_capture_on_commit_callbacks
):
    load_demo()
    with django_capture_on_commit_callbacks(execute=False):
        result = load_demo_meeting(today=TODAY)
    meeting = result.meeting
    assert (meeting.ordinal, meeting.state, meeting.start_date) == (
        5,
        "invited",
        datetime.date(2027, 2, 11),  # a Thursday ten weeks ahead
    )
    assert [s.code for s in meeting.chairs.all()] == ["DE-HH"]
    items = list(meeting.agenda_items.order_by("order"))
    assert len(items) == 7
    assert [i.order for i in items if i.institutional] == [2]
    assert [i.order for i in items if i.in_parliamentary_procedure] == [4]
    assert [i.order for i in items if i.touches_it_planungsrat] == [3]
    authors = sorted(
        Consultation.objects.filter(meeting=meeting).values_list(
            "paper__author_state__code", flat=True
        )
    )
    assert authors == ["DE-BY", "DE-HH", "DE-NW", "DE-SN"]
    assert sorted(meeting.attendances.values_list("state__code", flat=True)) == [
        "DE-BE",
        "DE-BY",
        "DE-HH",
        "DE-NW",
        "DE-SN",
    ]
    assert meeting.guest_invitations.count() == 1


def test_loading_the_demo_session_twice_changes_nothing(public_record):
    load_demo()
    call_command("load_demo_meeting")
    counts = (Meeting.objects.count(), Consultation.objects.count())
    call_command("load_demo_meeting")
    assert (Meeting.objects.count(), Consultation.objects.count()) == counts
