"""``manage.py purge_exchange_trash``: delete for good what has lain in the data exchange
trash longer than ``DMK_EXCHANGE_TRASH_DAYS`` (issue 14 item 2). Idempotent; run daily
(docs/operations.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from dmk.exchange.services import trash_purge_expired


class Command(BaseCommand):
    help = "Löscht endgültig, was länger als die Aufbewahrungsfrist im Papierkorb liegt."

    def handle(self, *args, **options) -> None:
        deleted = trash_purge_expired()
        self.stdout.write(f"{deleted} Datei(en) endgültig gelöscht.")
