"""Fixtures of the mailbox tests: a real Dovecot (one per test process), the DMK mailbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.mailbox.dovecot import Dovecot


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[Dovecot]:
    server = Dovecot().start()
    yield server
    server.stop()
    server.remove()


@pytest.fixture
def dovecot(dovecot_server: Dovecot) -> Dovecot:
    """The running Dovecot with an empty mailbox."""
    dovecot_server.clear()
    return dovecot_server


@pytest.fixture
def mailbox(db, settings):
    from dmk.mailbox.services import mailbox_for_body
    from tests.factories import BodyFactory

    settings.DMK_FUNCTIONAL_MAILBOX = "geschaeftsstelle@dmk.example"
    settings.DMK_MAIL_RETRY_DELAY = 0
    box = mailbox_for_body(BodyFactory())
    box.signature = "Geschäftsstelle der Digitalministerkonferenz"
    box.save()
    return box
