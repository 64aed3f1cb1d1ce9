"""``manage.py fetch_mail`` and the IMAP settings (issue 15 item 1; docs/operations.md)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from dmk.mailbox.fetching import ImapConfig, imap_config
from dmk.mailbox.models import Conversation
from tests.mailbox.dovecot import PASSWORD, USER
from tests.mailbox.mails import mail

pytestmark = pytest.mark.django_db


def test_the_imap_url_names_server_security_account_and_folder(settings):
    settings.DMK_MAILBOX_IMAP_URL = (
        "imaps://postfach%40dmk.example:ge%2Fheim@imap.example.org/Eingang"
    )
    assert imap_config() == ImapConfig(
        host="imap.example.org",
        port=993,
        user="postfach@dmk.example",
        password="ge/heim",
        folder="Eingang",
        security="ssl",
    )
    settings.DMK_MAILBOX_IMAP_URL = "imap+starttls://u:p@imap.example.org"
    assert (imap_config().security, imap_config().port, imap_config().folder) == (
        "starttls",
        143,
        "INBOX",
    )
    settings.DMK_MAILBOX_IMAP_URL = "pop3://u:p@example.org"
    with pytest.raises(ImproperlyConfigured):
        imap_config()


def test_without_an_imap_host_nothing_is_fetched(settings):
    settings.DMK_MAILBOX_IMAP_URL = ""
    settings.DMK_MAILBOX_IMAP_HOST = ""
    assert imap_config() is None
    out = StringIO()
    call_command("fetch_mail", stdout=out)
    assert out.getvalue().startswith("0 neu abgelegt")


def test_fetch_mail_files_the_mail_of_the_configured_server(
    dovecot, mailbox, settings, django_capture_on_commit_callbacks
):
    settings.DMK_BODY_SHORT_NAME = mailbox.body.short_name
    settings.DMK_MAILBOX_IMAP_URL = f"imap://{USER}:{PASSWORD}@127.0.0.1:{dovecot.port}/INBOX"
    dovecot.deliver(mail(subject="Per Befehl abgeholt"))
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("fetch_mail", stdout=out)

    assert out.getvalue().startswith("1 neu abgelegt, 0 schon vorhanden, 0 fehlgeschlagen")
    assert Conversation.objects.get().subject == "Per Befehl abgeholt"


def test_fetch_mail_and_purge_mailbox_can_be_enqueued():
    for command in ("fetch_mail", "purge_mailbox"):
        out = StringIO()
        call_command(command, "--enqueue", stdout=out)
        assert out.getvalue().startswith("Auftrag eingereiht: ")
