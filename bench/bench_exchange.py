"""Benchmark of the data exchange platform (issue 14, "Speed"). Prints figures, asserts nothing.

1. A 200 MB file uploaded through the app over the resumable tus endpoint (8 MB chunks, as the
   browser sends them, through the whole middleware stack) and downloaded again: seconds,
   MB/s, and the peak memory of the process above idle (goal: the file is never held in
   memory, ≤ 100 MB above idle). Anchor in the same run: copying the same file on disk.
2. A folder listing of 5,000 files: p50/p95 of the page over 20 requests and its number of
   queries (goal ≤ 100 ms, constant queries); anchor: the same page with 10 files.

Runs on a fresh SQLite database and media directory in a temporary folder (or on
``DATABASE_URL`` if it names PostgreSQL). ``BENCH_EXCHANGE_MB`` changes the file size.
Usage: ``.venv/bin/python bench/bench_exchange.py`` (``make bench`` runs it).
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    os.environ["DATABASE_URL"] = f"sqlite:///{TMP / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(TMP / "media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dmk.settings")
os.environ.setdefault("DMK_EXCHANGE_QUOTA_BYTES", str(50 * 1024**3))
os.environ.setdefault("DMK_EXCHANGE_MAX_FILE_BYTES", str(2 * 1024**3))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django  # noqa: E402

django.setup()


from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

SIZE_MB = int(os.environ.get("BENCH_EXCHANGE_MB", "200"))
CHUNK = 8 * 1024 * 1024


def setup_world():
    from dmk.accounts.models import User
    from dmk.bodies.models import Body, Membership, MembershipRole, Organization, Person, State
    from dmk.exchange import services

    call_command("migrate", verbosity=0, interactive=False)
    # the pages name their static files through the manifest, as in production
    call_command("collectstatic", verbosity=0, interactive=False)
    body, _ = Body.objects.get_or_create(
        short_name="DMK", defaults={"name": "Digitalministerkonferenz"}
    )
    plenary, _ = Organization.objects.get_or_create(
        body=body, name="Plenum", defaults={"kind": "plenary"}
    )
    state, _ = State.objects.get_or_create(
        code="DE-HB", defaults={"name_de": "Bremen", "name_en": "Bremen"}
    )
    user = User.objects.create_user(email="bench@land.example", password="bench-Passwort-1234")  # noqa: S106
    person = Person.objects.create(user=user, given_name="Bench", family_name="Mark", state=state)
    Membership.objects.create(
        person=person, organization=plenary, role=MembershipRole.MEMBER, on_behalf_of=state
    )
    workspace = services.workspace_for_body(body=body)
    return user, workspace


def client_for(user) -> Client:
    from dmk.accounts.middleware import SESSION_MFA_SETUP_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_MFA_SETUP_KEY] = True
    session.save()
    return client


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _proc_mb(pid: int, field: str) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def bench_upload_download(user, workspace) -> None:
    """Upload and download through a server process of its own (``runserver``, threaded, one
    process, DEBUG off), so that its memory is the app's alone: the peak resident memory
    (VmHWM) of that process is reset before and read after each transfer."""
    import base64
    import http.client
    import subprocess

    source = TMP / "source.bin"
    with open(source, "wb") as handle:
        handle.write(b"%PDF-1.7\n")
        block = os.urandom(1024 * 1024)
        for _ in range(SIZE_MB):
            handle.write(block)
    size = source.stat().st_size
    digest = hashlib.sha256()
    with open(source, "rb") as handle:
        for part in iter(lambda: handle.read(CHUNK), b""):
            digest.update(part)

    started = time.perf_counter()
    shutil.copyfile(source, TMP / "copy.bin")
    copy_s = time.perf_counter() - started
    (TMP / "copy.bin").unlink()

    client = client_for(user)
    session = client.cookies["sessionid"].value
    csrf = "b" * 32
    cookies = f"sessionid={session}; csrftoken={csrf}"
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env={**os.environ, "DEBUG": "0"},
        stdout=subprocess.DEVNULL,
        stderr=open(TMP / "server.log", "wb"),  # noqa: SIM115 - closed with the process
    )
    try:
        for _ in range(600):
            if server.poll() is not None:
                raise SystemExit("server stopped: " + (TMP / "server.log").read_text()[-2000:])
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                probe.request("HEAD", "/")
                probe.getresponse()
                break
            except OSError:
                time.sleep(0.1)
        base = {
            "Cookie": cookies,
            "X-CSRFToken": csrf,
            "Tus-Resumable": "1.0.0",
            "Host": "localhost",
        }
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        conn.request("GET", "/intern/", headers=base)  # warm up: imports, templates, DB
        conn.getresponse().read()
        idle = _proc_mb(server.pid, "VmRSS")
        Path(f"/proc/{server.pid}/clear_refs").write_text("5")
        started = time.perf_counter()
        tus = reverse("portal:exchange_tus", kwargs={"workspace": workspace.slug})
        name = base64.b64encode(b"gross.pdf").decode()
        conn.request(
            "POST",
            tus,
            headers={**base, "Upload-Length": str(size), "Upload-Metadata": f"filename {name}"},
        )
        response = conn.getresponse()
        response.read()
        assert response.status == 201, response.status
        location = response.getheader("Location")
        offset = 0
        with open(source, "rb") as handle:
            while offset < size:
                chunk = handle.read(CHUNK)
                conn.request(
                    "PATCH",
                    location,
                    body=chunk,
                    headers={
                        **base,
                        "Content-Type": "application/offset+octet-stream",
                        "Upload-Offset": str(offset),
                    },
                )
                response = conn.getresponse()
                response.read()
                assert response.status == 204, response.status
                offset += len(chunk)
        upload_s = time.perf_counter() - started
        upload_peak = _proc_mb(server.pid, "VmHWM") - idle

        from dmk.exchange.models import StoredFile

        stored = StoredFile.objects.get(name="gross.pdf")
        idle = _proc_mb(server.pid, "VmRSS")
        Path(f"/proc/{server.pid}/clear_refs").write_text("5")
        started = time.perf_counter()
        url = reverse(
            "portal:exchange_download", kwargs={"workspace": workspace.slug, "file": stored.pk}
        )
        conn.request("GET", url, headers=base)
        response = conn.getresponse()
        received = hashlib.sha256()
        for part in iter(lambda: response.read(CHUNK), b""):
            received.update(part)
        download_s = time.perf_counter() - started
        download_peak = _proc_mb(server.pid, "VmHWM") - idle
    finally:
        server.terminate()
        server.wait(timeout=30)
    same = received.hexdigest() == digest.hexdigest()

    mb = size / 1024 / 1024
    print(f"Upload and download of {mb:.0f} MB through the app over HTTP (runserver, tus):")
    print(f"  anchor: copy on disk        {copy_s:7.2f} s  {mb / copy_s:8.1f} MB/s")
    for label, seconds, peak in (
        ("upload (tus PATCH, 8 MB)", upload_s, upload_peak),
        ("download (FileResponse)", download_s, download_peak),
    ):
        print(
            f"  {label:26}  {seconds:7.2f} s  {mb / seconds:8.1f} MB/s"
            f"  = {seconds / copy_s:5.1f} × the copy"
        )
        print(f"      server peak memory +{peak:.0f} MB above idle (goal ≤ 100)")
    print(f"  SHA-256 of the download equals the source: {same}")


def bench_listing(user, workspace) -> None:
    from dmk.exchange.models import StoredFile

    client = client_for(user)
    url = reverse("portal:exchange_workspace", kwargs={"workspace": workspace.slug})

    def measure(n_files: int) -> tuple[float, float, int]:
        existing = StoredFile.objects.filter(workspace=workspace, deleted_at__isnull=True).count()
        StoredFile.objects.bulk_create(
            StoredFile(
                workspace=workspace,
                name=f"Datei {i:05d}.pdf",
                content_type="application/pdf",
                size=1234,
                current_version=1,
            )
            for i in range(existing, n_files)
        )
        client.get(url)
        times = []
        for _ in range(20):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return statistics.median(times), statistics.quantiles(times, n=20)[18], len(queries)

    small = measure(10)
    large = measure(5000)
    print("Folder listing (the page, 20 requests):")
    for label, (p50, p95, queries) in (("anchor: 10 files", small), ("5,000 files", large)):
        print(f"  {label:20}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {queries} queries")
    print(
        f"  p95 at 5,000 = {large[1] / small[1]:.1f} × the anchor (goal ≤ 100 ms, constant queries)"
    )


def main() -> None:
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}, {connection.vendor}"
    print(f"bench_exchange on {platform.node()} ({machine})")
    user, workspace = setup_world()
    bench_upload_download(user, workspace)
    bench_listing(user, workspace)
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
