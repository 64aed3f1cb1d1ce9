"""``manage.py load_public_record [DIR]``: load the DMK's real public record (issue 2 item 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dmk.demo.public_record import PublicRecordError, load, parse


class Command(BaseCommand):
    help = "Lädt den öffentlichen Datenbestand der DMK (Länder, Vorsitz, Sitzungen, Beschlüsse)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory",
            nargs="?",
            type=Path,
            default=settings.DMK_PUBLIC_RECORD_DIR,
            help="Ordner mit den CSV-Dateien (Standard: data/public-record/)",
        )

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            result = load(parse(directory))
        except PublicRecordError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Geladen: {result.states} Länder, {result.periods} Vorsitzperioden, "
            f"{result.meetings} Sitzungen, {result.resolutions} Beschlüsse, "
            f"{result.topics} Themen."
        )
