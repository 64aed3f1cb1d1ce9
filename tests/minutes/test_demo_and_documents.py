"""The demo's minutes and pack (issue 12 item 7) and the invitation PDF (item 4)."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from dmk.accounts.models import User
from dmk.demo.meeting import load_demo_meeting
from dmk.demo.organisation import load_demo
from dmk.meetings.tasks import send_meeting_calendar_task
from dmk.minutes.models import CommentKind, MinutesStatus, PackStatus
from dmk.minutes.pack import pack_request
from tests.voting.scenario import make_item, make_meeting

pytestmark = pytest.mark.django_db


def test_the_demo_special_session_has_minutes_out_for_comment_and_the_5th_sessions_pack_builds(
    public_record, django_capture_on_commit_callbacks
):
    load_demo()
    with django_capture_on_commit_callbacks(execute=False):
        result = load_demo_meeting(today=timezone.localdate())
        load_demo_meeting(today=timezone.localdate())  # idempotent
    minutes = result.special_session.minutes

    assert minutes.status == MinutesStatus.CIRCULATED
    assert minutes.versions.count() == 2
    assert sorted((c.state.code, c.kind) for c in minutes.comments.all()) == [
        ("DE-BY", CommentKind.COMMENT),
        ("DE-NW", CommentKind.NO_OBJECTION),
    ]

    member = User.objects.get(email="mitglied.by@dmk.example")
    with django_capture_on_commit_callbacks(execute=True):
        pack = pack_request(user=member, meeting=result.meeting)
    pack.refresh_from_db()
    reader = PdfReader(pack.file.path)
    tops = [o.title for o in reader.outline if not isinstance(o, list)]
    assert pack.status == PackStatus.READY
    assert tops[:3] == [
        "TOP 1: Begrüßung und Feststellung der Tagesordnung",
        "TOP 2: Änderung der Geschäftsordnung der DMK",
        "TOP 3: Deutschland-Stack und föderale Cloud-Infrastruktur",
    ]
    assert len(tops) == 7


def test_the_invitation_mail_carries_the_agenda_as_a_pdf_next_to_the_ics(public_record, settings):
    settings.DMK_MAIL_RETRY_DELAY = 0
    meeting = make_meeting()
    make_item(meeting, 1)
    make_item(meeting, 2)

    send_meeting_calendar_task.enqueue(meeting.pk, "REQUEST", ["mitglied@land.example"])

    names = [a[0] for a in mail.outbox[0].attachments]
    assert names == ["einladung.ics", "einladung.pdf"]
    reader = PdfReader(io.BytesIO(mail.outbox[0].attachments[1][1]))
    text = " ".join(reader.pages[0].extract_text().split())
    assert f"Einladung: {meeting.name}" in text
    assert "1 Beschlussvorschlag 1" in text
    assert "2 Beschlussvorschlag 2" in text
