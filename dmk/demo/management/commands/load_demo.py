"""``manage.py load_demo``: fictional people and the demo logins (issue 3 item 9).

Run after ``load_public_record``; idempotent. Prints the URLs, logins, passwords, TOTP
secrets and a few recovery codes; with ``--logins-file PATH`` also writes that text to PATH,
which ``make demo`` shows again right before the server starts.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dmk.demo.organisation import DEMO_PASSWORD, DemoError, load_demo


class Command(BaseCommand):
    help = "Legt fiktive Personen und Demo-Zugänge für die Vorsitzperiode 2026 an."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--logins-file",
            type=Path,
            help="schreibt die Zugangsdaten zusätzlich in diese Datei / also write them here",
        )

    def handle(self, *args: Any, logins_file: Path | None = None, **options: Any) -> None:
        try:
            result = load_demo()
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        port = os.environ.get("PORT", "8000")
        base = f"http://127.0.0.1:{port}"
        line = "=" * 78
        lines: list[str] = []
        out = lines.append
        out(line)
        out("DMK-Plattform – Demo-Zugänge / demo logins (fiktive Personen / fictional people)")
        out(line)
        out(f"Öffentliche Website / public site:   {base}/")
        out(f"Interner Bereich / member portal:    {base}/intern/")
        out(f"Verwaltung / back office:            {base}/verwaltung/  (Geschäftsstelle)")
        out("")
        out(f"Passwort für alle / password for all: {DEMO_PASSWORD}")
        out("")
        for login in result.logins:
            out(f"  {login.email:<32} {login.role}")
            out(f"      TOTP-Geheimnis / secret (base32): {login.totp_secret}")
            out(
                f"      Wiederherstellungscodes / recovery codes: {', '.join(login.recovery_codes)}"
            )
        out("")
        out("Zweiter Faktor / second factor: das Geheimnis in einer Authenticator-App eintragen,")
        out("oder ohne App den aktuellen Code anzeigen / or print the current code without an app:")
        out("    .venv/bin/python manage.py demo_totp geschaeftsstelle@dmk.example")
        out("")
        out(f"Personen / persons: {result.persons}")
        out(f"Mitgliedschaften / memberships: {result.memberships}")
        out(line)
        text = "\n".join(lines) + "\n"
        self.stdout.write(text, ending="")
        if logins_file is not None:
            logins_file.parent.mkdir(parents=True, exist_ok=True)
            logins_file.write_text(text, encoding="utf-8")
