"""``manage.py search_reindex``: (re)build the search index (issue 13 item 6).

Reads the text of every stored file that has none yet (``--reextract``: of every file),
then writes the row of every registered object and removes rows whose object is gone.
Idempotent: a second run changes nothing but ``indexed_at``. Prints a progress bar on a
terminal and, at the end, how many objects and files were done and how many failed; a
failure of one object is counted and the run goes on (exit status 1 if any failed).
"""

from __future__ import annotations

import sys
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Model

from dmk.documents.models import FileText, SearchEntry
from dmk.documents.registry import file_models, index_object, sources
from dmk.documents.services import file_text_store


class Progress:
    """A one-line progress bar on a terminal; a line every 10 % otherwise."""

    def __init__(self, stream: Any, label: str, total: int) -> None:
        self.stream, self.label, self.total, self.done = stream, label, total, 0
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.last_tenth = -1

    def step(self) -> None:
        self.done += 1
        share = self.done / self.total if self.total else 1.0
        if self.tty:
            bar = "#" * int(share * 30)
            self.stream.write(f"\r{self.label}: [{bar:<30}] {self.done}/{self.total}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()
        elif int(share * 10) != self.last_tenth:
            self.last_tenth = int(share * 10)
            self.stream.write(f"{self.label}: {self.done}/{self.total}\n")


class Command(BaseCommand):
    help = "Baut den Suchindex neu auf (Dateitexte und alle durchsuchbaren Objekte)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reextract", action="store_true", help="Den Text aller Dateien neu lesen."
        )

    def handle(self, *args: Any, reextract: bool = False, **options: Any) -> None:
        failures = 0
        files_done = 0
        for model in file_models():
            content_type = ContentType.objects.get_for_model(model)
            read = set(
                FileText.objects.filter(file_type=content_type).values_list("file_id", flat=True)
            )
            rows = [f for f in model.objects.order_by("pk") if reextract or f.pk not in read]
            progress = Progress(self.stdout, f"Dateien {model._meta.label}", len(rows))
            for row in rows:
                try:
                    file_text_store(file=row)
                    files_done += 1
                except Exception as exc:  # counted and reported, run goes on
                    failures += 1
                    self.stderr.write(f"{model._meta.label} {row.pk}: {exc!r}")
                progress.step()
        objects_done = 0
        for model in sources():
            content_type = ContentType.objects.get_for_model(model)
            rows = list(_all(model))
            progress = Progress(self.stdout, f"Index {model._meta.label}", len(rows))
            for row in rows:
                try:
                    index_object(row)
                    objects_done += 1
                except Exception as exc:  # counted and reported, run goes on
                    failures += 1
                    self.stderr.write(f"{model._meta.label} {row.pk}: {exc!r}")
                progress.step()
            existing = set(model.objects.values_list("pk", flat=True))
            for entry in SearchEntry.objects.filter(source_type=content_type).exclude(
                source_id__in=existing
            ):
                entry.delete()
        self.stdout.write(
            f"Fertig: {objects_done} Objekte, {files_done} Dateien, {failures} Fehler.\n"
        )
        if failures:
            sys.stdout.flush()
            raise CommandError(f"{failures} Fehler beim Indexieren.")


def _all(model: type[Model]) -> Any:
    queryset = model.objects.order_by("pk")
    if hasattr(queryset, "specific"):
        queryset = queryset.specific()
    return queryset.iterator(chunk_size=500)
