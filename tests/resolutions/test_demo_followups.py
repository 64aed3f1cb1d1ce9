"""The demo gives recent real resolutions four invented, internal follow-ups (issue 6 item 6),
each marked as an example; a second run adds nothing."""

from __future__ import annotations

import datetime

import pytest

from dmk.demo.meeting import load_demo_meeting
from dmk.demo.organisation import load_demo
from dmk.resolutions.models import FollowUp

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_demo_follow_ups_have_owner_status_and_are_marked_as_examples(
    public_record, django_capture_on_commit_callbacks
):
    load_demo()
    with django_capture_on_commit_callbacks(execute=False):
        load_demo_meeting(today=TODAY)
        load_demo_meeting(today=TODAY)

    rows = [
        (
            f.organization.short_name if f.organization else f.state.code,
            f.status,
            f.is_overdue(TODAY),
            f.task.startswith("Beispiel (Demo): "),
        )
        for f in FollowUp.objects.select_related("organization", "state").order_by("task")
    ]
    assert sorted(rows) == [
        ("AG DigiSouv", "in_progress", False, True),
        ("DE-BY", "done", False, True),
        ("DE-BY", "open", False, True),
        ("DE-NW", "open", True, True),  # due 14 days ago: overdue on the demo's list
    ]
    assert all(
        f.resolution.decided_on is None or f.due_date >= f.resolution.decided_on
        for f in FollowUp.objects.select_related("resolution")
    )
