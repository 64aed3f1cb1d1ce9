"""Playwright for Python driving Debian's Chromium at /usr/bin/chromium (no browser download)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; Django must allow ORM calls here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, tmp_path_factory) -> None:
    """On SQLite, the browser tests use a database file, not Django's shared in-memory one.

    With an in-memory test database, pytest-django's live server hands every request thread
    the test thread's one connection; a page that polls (the open ballot's status, every
    second) then meets the POST of a form in that same connection and SQLite answers
    "database table is locked" (CI, stop 20). A file gives each thread its own connection,
    serialised by ``BEGIN IMMEDIATE`` and the busy timeout from ``dmk/settings.py``, as in
    ``make demo``. On PostgreSQL nothing changes but pytest-django's per-worker suffix.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # tmp_path_factory gives each xdist worker a directory of its own
        path = tmp_path_factory.mktemp("browser-db") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)
        # a throwaway file: no fsync; WAL lets the polling reads run beside a write
        database["OPTIONS"] = {
            **database.get("OPTIONS", {}),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF",
        }
    else:
        request.getfixturevalue("django_db_modify_db_settings_parallel_suffix")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def log_in_browser(live_server):
    """Log ``user`` in on a Playwright ``page``: a Django test client session that passed the
    second factor (``tests.helpers.login_with_second_factor``), its cookie set in the browser.

    Usage: ``log_in_browser(page, user)``.
    """
    from django.conf import settings
    from django.test import Client

    from tests.helpers import login_with_second_factor

    def log_in(page, user) -> None:
        client = Client()
        login_with_second_factor(client, user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )

    return log_in
