"""``manage.py sync_secretariat_group``: the back-office group "Geschäftsstelle" follows the
Geschäftsstelle memberships in office today (issue 11 item 1; ``dmk.access.backoffice``).
Run daily after midnight Europe/Berlin from cron (docs/operations.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from dmk.access.backoffice import secretariat_group_sync


class Command(BaseCommand):
    help = (
        "Gleicht die Gruppe „Geschäftsstelle“ (Zugang zur Verwaltung) mit den heute gültigen "
        "Mitgliedschaften in der Rolle Geschäftsstelle ab."
    )

    def handle(self, *args, **options) -> None:
        added, removed = secretariat_group_sync()
        self.stdout.write(f"{len(added)} Konten hinzugefügt, {len(removed)} Konten entfernt.")
