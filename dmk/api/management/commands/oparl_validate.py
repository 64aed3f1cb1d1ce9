"""``manage.py oparl_validate [--url URL]``: crawls our OParl interface from ``System``
through every list and object and validates each object against the OParl 1.1.1 JSON
schemas (issue 16 item 5; ``dmk.api.validation``). Prints the number of objects per type
and every violation; exits with status 1 when there is one.

Without ``--url`` it asks the application in-process (Django's test client, no server
needed); with ``--url http://127.0.0.1:8000/oparl/v1/`` it crawls a running server over HTTP.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client

from dmk.api.validation import Fetch, client_fetch, crawl


def http_fetch(url: str) -> tuple[int, Any]:
    """GET ``url`` over HTTP(S) and parse the JSON answer."""
    if not url.startswith(("http://", "https://")):
        return 0, None
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  # nosec B310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, None


class Command(BaseCommand):
    help = "Prüft die OParl-Schnittstelle gegen die OParl-1.1-Schemata (alle Listen und Objekte)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            help="System-URL eines laufenden Servers, z. B. http://127.0.0.1:8000/oparl/v1/",
        )

    def handle(self, *args: Any, url: str | None = None, **options: Any) -> None:
        fetch: Fetch
        if url:
            fetch = http_fetch
            system_url = url
        else:
            host = next(
                (h for h in settings.ALLOWED_HOSTS if h not in ("*",) and not h.startswith(".")),
                "localhost",
            )
            fetch = client_fetch(Client())
            system_url = f"http://{host}/oparl/v1/"
        report = crawl(fetch, system_url)
        self.stdout.write(f"OParl-Schnittstelle {system_url}: {report.pages} Listenseiten gelesen")
        for oparl_type, count in sorted(report.counts.items()):
            self.stdout.write(f"  {oparl_type:<16} {count:>6}")
        for violation in report.violations:
            self.stdout.write(f"VERSTOSS {violation}")
        if report.violations:
            raise CommandError(f"{len(report.violations)} Verstöße gegen das OParl-Schema.")
        self.stdout.write(self.style.SUCCESS("0 Verstöße gegen das OParl-Schema."))
