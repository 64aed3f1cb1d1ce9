"""``manage.py backup``: database and uploaded files with a SHA-256 manifest (issue 17 item 4;
``dmk.core.backup``, docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from dmk.core.backup import BackupError, backup, prune


class Command(BaseCommand):
    help = "Sichert Datenbank und hochgeladene Dateien mit einem Manifest aus SHA-256-Summen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--into",
            type=Path,
            default=settings.VAR_DIR / "backups",
            help="Verzeichnis, in dem die Sicherung dmk-backup-<Zeitpunkt>/ angelegt wird",
        )
        parser.add_argument(
            "--keep", type=int, default=0, help="nur die neuesten N Sicherungen behalten"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
        target = options["into"] / f"dmk-backup-{stamp}"
        db = connection.settings_dict
        sqlite_connection = None
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            sqlite_connection = connection.connection
        try:
            backup(
                target=target,
                db=db,
                media_root=Path(settings.MEDIA_ROOT),
                sqlite_connection=sqlite_connection,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["keep"]:
            for old in prune(options["into"], options["keep"]):
                self.stdout.write(f"Alte Sicherung gelöscht: {old}")
        self.stdout.write(str(target))
