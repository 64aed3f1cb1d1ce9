"""``manage.py demo_totp EMAIL``: the current six-digit TOTP code of a demo login.

Only for the demo logins (``@dmk.example`` with the fixed demo secret); refuses everyone else,
so it can never reveal a real user's second factor.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dmk.demo.organisation import DEMO_DOMAIN, DEMO_LOGINS


class Command(BaseCommand):
    help = "Zeigt den aktuellen TOTP-Code eines Demo-Zugangs (nur @dmk.example)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="E-Mail-Adresse eines Demo-Zugangs")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        email = email.strip().lower()
        if not email.endswith(DEMO_DOMAIN) or email not in DEMO_LOGINS:
            raise CommandError(
                f"{email} ist kein Demo-Zugang; Codes gibt es nur für: " + ", ".join(DEMO_LOGINS)
            )
        secret = DEMO_LOGINS[email][0]
        now = int(time.time())
        counter = now // app_settings.TOTP_PERIOD
        left = app_settings.TOTP_PERIOD - now % app_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(secret, counter)))
        self.stderr.write(
            f"(gültig noch {left} s, danach {format_hotp_value(hotp_value(secret, counter + 1))}"
            f" / valid for {left} s more, then the next code)"
        )
