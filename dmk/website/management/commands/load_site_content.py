"""``manage.py load_site_content``: the website's demo pages in German and English."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dmk.website.site_content import load_site_content


class Command(BaseCommand):
    help = "Legt die Seiten der Website (Deutsch und Englisch) an; idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_site_content()
        self.stdout.write(f"Website-Inhalte: {created} Seiten neu angelegt.")
