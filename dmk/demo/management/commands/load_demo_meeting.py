"""``manage.py load_demo_meeting``: the prepared next session of the chair Hamburg (issue 5),
a special session to run from the cockpit today and two written procedures (issue 6).

Run after ``load_public_record`` and ``load_demo``; idempotent. Prints where each one is.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dmk.demo.meeting import DemoMeetingError, load_demo_meeting


class Command(BaseCommand):
    help = (
        "Bereitet die nächste Sitzung des Vorsitzlandes Hamburg mit Tagesordnung, Vorlagen "
        "und Anmeldungen vor."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_demo_meeting()
        except DemoMeetingError as exc:
            raise CommandError(str(exc)) from exc
        meeting = result.meeting
        verb = "angelegt" if result.created else "bereits vorhanden"
        self.stdout.write(
            f"{meeting.name} am {meeting.start_date:%d.%m.%Y} ({verb}): "
            f"/intern/sitzungen/{meeting.slug}/"
        )
        special = result.special_session
        if special is not None:
            self.stdout.write(
                f"{special.name} am {special.start_date:%d.%m.%Y} – aus dem Cockpit zu leiten: "
                f"/intern/sitzungsleitung/{special.slug}/"
            )
        for procedure in result.written_procedures or []:
            self.stdout.write(
                f"Umlaufverfahren „{procedure.title}“ ({procedure.get_state_display()}): "
                f"/intern/umlaufverfahren/{procedure.pk}/"
            )
