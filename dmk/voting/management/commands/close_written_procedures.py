"""``manage.py close_written_procedures``: close written procedures past their deadline."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from dmk.voting.services import close_due_written_procedures
from dmk.voting.tasks import close_written_procedures_task


class Command(BaseCommand):
    help = (
        "Schließt alle Umlaufverfahren, deren Frist (Europe/Berlin) abgelaufen ist "
        "(DOMAIN Regel 8). Mit --enqueue als Hintergrundauftrag."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="als Hintergrundauftrag einreihen"
        )

    def handle(self, *args, enqueue: bool = False, **options) -> None:
        if enqueue:
            result = close_written_procedures_task.enqueue()
            self.stdout.write(f"Auftrag eingereiht: {result.id}")
            return
        count = close_due_written_procedures()
        self.stdout.write(f"{count} Umlaufverfahren abgeschlossen.")
