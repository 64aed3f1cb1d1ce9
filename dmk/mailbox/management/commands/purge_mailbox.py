"""``manage.py purge_mailbox``: delete conversations past their retention period."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from dmk.mailbox.services import conversations_purge_expired
from dmk.mailbox.tasks import purge_mailbox_task


class Command(BaseCommand):
    help = (
        "Löscht erledigte Vorgänge des Funktionspostfachs nach Ablauf der Aufbewahrungsfrist "
        "(Standard: zwei Jahre nach Abschluss). Mit --enqueue als Hintergrundauftrag."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="als Hintergrundauftrag einreihen"
        )

    def handle(self, *args, enqueue: bool = False, **options) -> None:
        if enqueue:
            result = purge_mailbox_task.enqueue()
            self.stdout.write(f"Auftrag eingereiht: {result.id}")
            return
        count = conversations_purge_expired()
        self.stdout.write(f"{count} Vorgänge gelöscht.")
