"""``manage.py send_reminders``: remind Länder that have not registered or submitted
(issue 5 item 4). Lives in the papers app, the lowest layer that knows both attendance and
papers."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from dmk.papers.reminders import send_due_reminders
from dmk.papers.tasks import send_due_reminders_task


class Command(BaseCommand):
    help = (
        "Erinnert Länder, die sich zu einer Sitzung noch nicht angemeldet oder noch keine "
        "Vorlage eingereicht haben, einige Tage vor der jeweiligen Frist "
        "(DMK_REMINDER_DAYS_BEFORE, DOMAIN Regel 7). Jede Erinnerung geht je Frist nur einmal "
        "hinaus. Mit --dry-run nur anzeigen, mit --enqueue als Hintergrundauftrag."
    )

    def add_arguments(self, parser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--dry-run", action="store_true", help="nur anzeigen, nichts senden")
        group.add_argument(
            "--enqueue", action="store_true", help="als Hintergrundauftrag einreihen"
        )
        parser.add_argument(
            "--days-before",
            type=int,
            default=None,
            help="Vorlauf in Tagen (Standard: DMK_REMINDER_DAYS_BEFORE)",
        )

    def handle(self, *args, dry_run: bool = False, enqueue: bool = False, **options) -> None:
        if enqueue:
            result = send_due_reminders_task.enqueue()
            self.stdout.write(f"Auftrag eingereiht: {result.id}")
            return
        due = send_due_reminders(days_before=options.get("days_before"), dry_run=dry_run)
        for item in due:
            self.stdout.write(
                f"{item.meeting.name} | {item.state.name_de} | {item.kind} | "
                f"Frist {item.deadline:%d.%m.%Y} | {', '.join(item.recipients)}"
            )
        verb = "würden gesendet" if dry_run else "gesendet"
        self.stdout.write(f"{len(due)} Erinnerungen {verb}.")
