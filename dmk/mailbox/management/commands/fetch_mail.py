"""``manage.py fetch_mail``: file new mail of the functional mailbox and retry unsent replies."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from dmk.mailbox.tasks import fetch_mail, fetch_mail_task


class Command(BaseCommand):
    help = (
        "Holt neue Nachrichten des Funktionspostfachs per IMAP ab, legt sie in Vorgängen ab "
        "und sendet nicht zugestellte Antworten erneut. Mit --enqueue als Hintergrundauftrag."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="als Hintergrundauftrag einreihen"
        )

    def handle(self, *args, enqueue: bool = False, **options) -> None:
        if enqueue:
            result = fetch_mail_task.enqueue()
            self.stdout.write(f"Auftrag eingereiht: {result.id}")
            return
        counts = fetch_mail()
        self.stdout.write(
            "{stored} neu abgelegt, {duplicates} schon vorhanden, {failed} fehlgeschlagen, "
            "{resent} Antworten erneut eingereiht.".format(**counts)
        )
