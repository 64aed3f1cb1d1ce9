"""``manage.py restore DIR``: restore a backup into an empty instance and verify every row
count and checksum (issue 17 item 4; ``dmk.core.backup``, docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from dmk.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Spielt eine Sicherung in eine leere Instanz ein und prüft Zeilenzahlen und "
        "Prüfsummen jeder Tabelle und jeder Datei."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="Verzeichnis dmk-backup-<Zeitpunkt>/")
        parser.add_argument(
            "--database-url",
            default="",
            help="Zieldatenbank (Standard: DATABASE_URL dieser Instanz); muss leer sein",
        )
        parser.add_argument(
            "--media-root",
            type=Path,
            default=None,
            help="Zielverzeichnis der Dateien (Standard: MEDIA_ROOT); muss leer sein",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["database_url"]:
            db = dj_database_url.parse(options["database_url"])
        else:
            db = dict(connection.settings_dict)
            connection.close()  # the restore writes through its own connections
        media_root = options["media_root"] or Path(settings.MEDIA_ROOT)
        try:
            result = restore(source=options["source"], db=db, media_root=media_root)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Wiederhergestellt und geprüft: {result['tables']} Tabellen, "
            f"{result['rows']} Zeilen, {result['files']} Dateien."
        )
