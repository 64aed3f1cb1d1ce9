"""Benchmark of the functional mailbox (issue 15, "Speed"), plain Python:

    .venv/bin/python bench/bench_mailbox.py [--mails 1000] [--conversations 10000]

1. Fetch and file N mails with a PDF attachment from a private local Dovecot (loopback):
   mails/s, the peak resident memory of the process, and the ratio against an anchor measured
   in the same run (fetching the same mails over IMAP without filing them).
2. The inbox page ``/intern/postfach/`` over M conversations: median time of 5 requests,
   the number of SQL queries (must not grow with M), and the ratio against the portal's
   start page ``/intern/`` as an anchor. Goal (issue 15): ≤ 100 ms with constant queries.

Uses a throw-away SQLite database and media directory in a temp dir (never the demo's).
Needs ``dovecot-imapd`` (``/usr/sbin/dovecot``). Bounded: refuses N > 5000 or M > 50000.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="dmk-bench-mailbox-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ["EMAIL_URL"] = "memory:"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dmk.settings")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=1000)
    parser.add_argument("--conversations", type=int, default=10000)
    args = parser.parse_args()
    if args.mails > 5000 or args.conversations > 50000:
        parser.error("bounded: at most 5000 mails and 50000 conversations")

    import django

    django.setup()
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"database migrated in {time.perf_counter() - t0:.1f} s ({WORK})")

    from tests.mailbox.dovecot import Dovecot

    server = Dovecot().start()
    try:
        bench_fetch(server, args.mails)
    finally:
        server.stop()
        server.remove()
    bench_inbox(args.conversations)


def bench_fetch(server, count: int) -> None:
    from imapclient import IMAPClient

    from dmk.mailbox.fetching import fetch_new_mail
    from dmk.mailbox.models import Attachment, Message
    from dmk.mailbox.services import mailbox_for_body
    from tests.factories import BodyFactory
    from tests.mailbox.mails import PDF, mail

    mailbox = mailbox_for_body(BodyFactory())
    mailbox.send_acknowledgement = False
    mailbox.save()
    attachment = PDF + b"%" + b"x" * 20_000 + b"\n"
    client = server.client()
    t0 = time.perf_counter()
    for i in range(count):
        raw = mail(
            subject=f"Anfrage {i}",
            message_id=f"<bench-{i}@example.org>",
            attachments=[(f"anlage-{i}.pdf", attachment, "application/pdf")],
        )
        client.append("INBOX", raw)
    client.logout()
    print(f"{count} mails delivered to Dovecot in {time.perf_counter() - t0:.1f} s")

    # anchor: the same mails over IMAP, fetched one by one, not filed
    anchor = IMAPClient("127.0.0.1", port=server.port, ssl=False)
    anchor.login("postfach", "test-geheim")
    anchor.select_folder("INBOX", readonly=True)
    t0 = time.perf_counter()
    for uid in anchor.search(["ALL"]):
        anchor.fetch([uid], [b"BODY.PEEK[]"])
    anchor_s = time.perf_counter() - t0
    anchor.logout()

    rss_before = _peak_rss_mb()
    t0 = time.perf_counter()
    result = fetch_new_mail(mailbox=mailbox, config=server.config())
    elapsed = time.perf_counter() - t0
    assert result.stored == count, result
    assert Message.objects.count() == count and Attachment.objects.count() == count
    print(
        f"fetch and file: {count} mails with a 20 KB PDF each in {elapsed:.1f} s = "
        f"{count / elapsed:.0f} mails/s; peak RSS {_peak_rss_mb():.0f} MB "
        f"(before: {rss_before:.0f} MB)"
    )
    print(
        f"  anchor (IMAP fetch only): {count / anchor_s:.0f} mails/s; "
        f"filing costs {elapsed / anchor_s:.1f}× the bare IMAP fetch"
    )


def bench_inbox(count: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dmk.bodies.models import Body, MembershipRole
    from dmk.mailbox.models import Conversation
    from dmk.mailbox.services import mailbox_for_body
    from tests.factories import user_with_role
    from tests.helpers import login_with_second_factor

    mailbox = mailbox_for_body(Body.objects.get())
    office = user_with_role(MembershipRole.SECRETARIAT)
    now = timezone.now()
    existing = Conversation.objects.count()
    Conversation.objects.bulk_create(
        [
            Conversation(
                mailbox=mailbox,
                number=f"2020-{i:06d}",
                subject=f"Vorgang {i}",
                contact_email=f"b{i}@example.org",
                last_message_at=now - timezone.timedelta(minutes=i),
                state=("new", "in_progress", "waiting", "done")[i % 4],
            )
            for i in range(max(0, count - existing))
        ],
        batch_size=2000,
    )
    client = Client()
    login_with_second_factor(client, office)

    def timed(url: str) -> tuple[float, int]:
        times, queries = [], 0
        for _ in range(6):
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - t0)
            assert response.status_code == 200, response.status_code
            queries = len(captured)
        return statistics.median(times[1:]) * 1000, queries

    from django.conf import settings
    from django.test.utils import override_settings

    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain_static):  # no collectstatic manifest needed
        _print_inbox(timed)


def _print_inbox(timed) -> None:
    from dmk.mailbox.models import Conversation

    inbox_ms, inbox_q = timed("/intern/postfach/?status=alle")
    search_ms, search_q = timed("/intern/postfach/?status=alle&suche=Vorgang+99")
    home_ms, home_q = timed("/intern/")
    print(
        f"inbox over {Conversation.objects.count()} conversations: {inbox_ms:.1f} ms median, "
        f"{inbox_q} queries (goal ≤ 100 ms)"
    )
    print(f"  search 'Vorgang 99': {search_ms:.1f} ms, {search_q} queries")
    print(
        f"  anchor /intern/: {home_ms:.1f} ms, {home_q} queries; inbox = {inbox_ms / home_ms:.1f}×"
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
