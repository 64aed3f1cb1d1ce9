"""Benchmark of the OParl interface (issue 16, "Speed"): with 10,000 public resolutions, the
time of a list page of ``/oparl/v1/body/<id>/agendaItem/`` (100 objects, random pages) and of
a meeting list page, against an anchor measured in the same run (the ``System`` object).

Plain Python, in-process (Django's test client, no network), on a fresh SQLite file in a
temporary directory. Prints p50/p95 in milliseconds and the ratios; asserts nothing. Goal of
the issue: list page p95 ≤ 50 ms. Run: ``.venv/bin/python bench/bench_oparl.py``.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="bench-oparl-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dmk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

RESOLUTIONS = 10_000
MEETINGS = 200
ROUNDS = 60


def setup() -> int:
    from dmk.bodies.models import Body
    from dmk.core.enums import Visibility
    from dmk.meetings.models import Meeting
    from dmk.resolutions.models import Resolution

    call_command("migrate", verbosity=0)
    body = Body.objects.create(short_name="DMK", name="Digitalministerkonferenz")
    meetings = Meeting.objects.bulk_create(
        Meeting(body=body, kind="special", name=f"Sitzung {i}", slug=f"s-{i}", place="Berlin")
        for i in range(MEETINGS)
    )
    Resolution.objects.bulk_create(
        Resolution(
            body=body,
            meeting=meetings[i % MEETINGS],
            slug=f"b-{i}",
            title=f"Beschluss {i}",
            visibility=Visibility.PUBLIC,
            sort_order=i // MEETINGS,
        )
        for i in range(RESOLUTIONS)
    )
    return body.pk


def measure(client: Client, urls: list[str]) -> list[float]:
    times = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url, HTTP_HOST="127.0.0.1")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def main() -> None:
    started = time.perf_counter()
    body = setup()
    client = Client()
    rng = random.Random(16)  # noqa: S311  # page sampling, not security
    pages = RESOLUTIONS // 100
    anchor = measure(client, ["/oparl/v1/"] * ROUNDS)
    items = measure(
        client,
        [f"/oparl/v1/body/{body}/agendaItem/?page={rng.randint(1, pages)}" for _ in range(ROUNDS)],
    )
    meetings = measure(
        client, [f"/oparl/v1/body/{body}/meeting/?limit=10&page={rng.randint(1, 20)}"] * ROUNDS
    )
    print(f"OParl benchmark: {RESOLUTIONS} public resolutions in {MEETINGS} meetings")
    median = statistics.median(anchor)
    print(f"  anchor  System object          p50 {median:7.1f} ms  p95 {p95(anchor):7.1f} ms")
    for name, values in (("agendaItem list, 100/page", items), ("meeting list, 10/page", meetings)):
        print(
            f"  {name:<30} p50 {statistics.median(values):7.1f} ms  p95 {p95(values):7.1f} ms"
            f"  (p95 = {p95(values) / p95(anchor):.1f} x anchor)"
        )
    print(f"  goal: list page p95 <= 50 ms; whole run {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
