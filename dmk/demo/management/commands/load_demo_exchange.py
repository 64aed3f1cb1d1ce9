"""``manage.py load_demo_exchange``: the demo's data exchange (issue 14 item 7): the
conference's and the working group's workspaces with folders and files, and an open joint
statement two Länder have joined. Run after ``load_demo``; idempotent. Prints where they are."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dmk.demo.exchange import DemoExchangeError, load_demo_exchange


class Command(BaseCommand):
    help = (
        "Legt die Demo-Austauschbereiche mit Ordnern, Dateien und einer gemeinsamen "
        "Stellungnahme an."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_demo_exchange()
        except DemoExchangeError as exc:
            raise CommandError(str(exc)) from exc
        verb = "angelegt" if result.created else "bereits vorhanden"
        self.stdout.write(f"Datenaustausch ({verb}): /intern/austausch/")
        self.stdout.write(
            f"Gemeinsame Stellungnahme „{result.statement.title}“: "
            f"/intern/austausch/{result.body_workspace.slug}/stellungnahmen/{result.statement.pk}/"
        )
