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


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    """Reset the process's peak RSS (Linux: writing 5 to clear_refs resets VmHWM)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def setup_world():
    from dmk.bodies.models import Body, Membership, MembershipRole, Organization, Person, State
    from dmk.accounts.models import User
    from dmk.exchange import services

    call_command("migrate", verbosity=0, interactive=False)
    # the pages name their static files through the manifest, as in production
    call_command("collectstatic", verbosity=0, interactive=False)
    body, _ = Body.objects.get_or_create(short_name="DMK", defaults={"name": "Digitalministerkonferenz"})
    plenary, _ = Organization.objects.get_or_create(body=body, name="Plenum", defaults={"kind": "plenary"})
    state, _ = State.objects.get_or_create(code="DE-HB", defaults={"name_de": "Bremen", "name_en": "Bremen"})
    user = User.objects.create_user(email="bench@land.example", password="bench-Passwort-1234")
    person = Person.objects.create(user=user, given_name="Bench", family_name="Mark", state=state)
    Membership.objects.create(person=person, organization=plenary, role=MembershipRole.MEMBER, on_behalf_of=state)
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


def bench_upload_download(user, workspace) -> None:
    import base64

    source = TMP / "source.bin"
    with open(source, "wb") as handle:
        handle.write(b"%PDF-1.7\n")
        block = os.urandom(1024 * 1024)
        for _ in range(SIZE_MB):
            handle.write(block)
    size = source.stat().st_size
    digest = hashlib.sha256(source.read_bytes()).hexdigest() if size < 2**31 else None

    started = time.perf_counter()
    shutil.copyfile(source, TMP / "copy.bin")
    copy_s = time.perf_counter() - started
    (TMP / "copy.bin").unlink()

    client = client_for(user)
    idle = rss_mb()
    reset_peak()
    started = time.perf_counter()
    name = base64.b64encode(b"gross.pdf").decode()
    created = client.post(
        reverse("portal:exchange_tus", kwargs={"workspace": workspace.slug}),
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH=str(size),
        HTTP_UPLOAD_METADATA=f"filename {name}",
    )
    assert created.status_code == 201, created.content
    url = created["Location"]
    offset = 0
    with open(source, "rb") as handle:
        while offset < size:
            chunk = handle.read(CHUNK)
            response = client.generic(
                "PATCH", url, chunk, content_type="application/offset+octet-stream",
                HTTP_TUS_RESUMABLE="1.0.0", HTTP_UPLOAD_OFFSET=str(offset),
            )
            assert response.status_code == 204, response.content
            offset += len(chunk)
    upload_s = time.perf_counter() - started
    upload_peak = peak_mb() - idle

    from dmk.exchange.models import StoredFile

    stored = StoredFile.objects.get(name="gross.pdf")
    reset_peak()
    idle = rss_mb()
    started = time.perf_counter()
    response = client.get(reverse("portal:exchange_download", kwargs={"workspace": workspace.slug, "file": stored.pk}))
    received = hashlib.sha256()
    for part in response.streaming_content:
        received.update(part)
    response.close()
    download_s = time.perf_counter() - started
    download_peak = peak_mb() - idle
    same = digest is None or received.hexdigest() == digest

    mb = size / 1024 / 1024
    print(f"Upload and download of {mb:.0f} MB through the app (tus, 8 MB chunks):")
    print(f"  anchor: copy on disk        {copy_s:7.2f} s  {mb / copy_s:8.1f} MB/s")
    print(f"  upload (tus PATCH)          {upload_s:7.2f} s  {mb / upload_s:8.1f} MB/s  = {upload_s / copy_s:5.1f} × the copy; peak memory +{upload_peak:.0f} MB above idle (goal ≤ 100)")
    print(f"  download (FileResponse)     {download_s:7.2f} s  {mb / download_s:8.1f} MB/s  = {download_s / copy_s:5.1f} × the copy; peak memory +{download_peak:.0f} MB above idle (goal ≤ 100)")
    print(f"  SHA-256 of the download equals the source: {same}")


def bench_listing(user, workspace) -> None:
    from dmk.exchange.models import StoredFile

    client = client_for(user)
    url = reverse("portal:exchange_workspace", kwargs={"workspace": workspace.slug})

    def measure(n_files: int) -> tuple[float, float, int]:
        existing = StoredFile.objects.filter(workspace=workspace, deleted_at__isnull=True).count()
        StoredFile.objects.bulk_create(
            StoredFile(workspace=workspace, name=f"Datei {i:05d}.pdf", content_type="application/pdf", size=1234, current_version=1)
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
    print(f"  anchor: 10 files      p50 {small[0]:7.1f} ms  p95 {small[1]:7.1f} ms  {small[2]} queries")
    print(f"  5,000 files           p50 {large[0]:7.1f} ms  p95 {large[1]:7.1f} ms  {large[2]} queries  (p95 = {large[1] / small[1]:.1f} × the anchor; goal ≤ 100 ms, constant queries)")


def main() -> None:
    print(f"bench_exchange on {platform.node()} ({os.cpu_count()} cores, Python {platform.python_version()}, {connection.vendor})")
    user, workspace = setup_world()
    bench_upload_download(user, workspace)
    bench_listing(user, workspace)
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
