"""Benchmark of the search (issue 13, "Speed"): plain Python, prints its figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h13 .venv/bin/python bench/bench_search.py
    … bench/bench_search.py --documents 100000        (or BENCH_SEARCH_DOCUMENTS=100000)

What it does, in a throw-away test database (``test_<name>``, created and dropped here):

1. generates ``--documents`` index rows (default 2,000 for a quick run; the issue's figure
   is 100,000), each a paper with three pages of German-like text drawn from a Zipf-
   distributed vocabulary, of random visibility and author Land — written in bulk and
   indexed by Wagtail's backend in batches (the "bench command");
2. runs a fixed set of one- and two-word queries through ``dmk.documents.selectors.search``
   as a member of one Land (count, first page, snippets, facets) and reports p50/p95;
3. re-runs the exact SQL statements each search issued, raw on a cursor, and reports the
   ratio search p95 / raw SQL p95 (the anchor measured in the same run: the overhead of the
   engine around the database's full-text query);
4. times ``extract_text`` on a generated 40-page PDF on one core (pages/s).

Goals (issue 13): search p95 ≤ 100 ms and ≤ 1.5 × raw SQL; extraction ≥ 20 pages/s. The
script prints them next to the figures; it asserts nothing. Loopback database traffic only.
"""

# Long report lines; random numbers only make test data (not cryptography).
# ruff: noqa: E501, S311

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dmk.settings")

STEMS = [
    "digital",
    "verwaltung",
    "beschluss",
    "land",
    "bund",
    "konferenz",
    "register",
    "modernisier",
    "daten",
    "schutz",
    "netz",
    "ausbau",
    "breitband",
    "cloud",
    "souveraen",
    "plattform",
    "dienst",
    "buerger",
    "portal",
    "identitaet",
    "sicherheit",
    "informations",
    "technik",
    "strategie",
    "foerder",
    "programm",
    "gesetz",
    "entwurf",
    "bericht",
    "vorlage",
    "sitzung",
    "minister",
    "staat",
    "kommune",
    "schule",
    "bildung",
    "gesundheit",
    "arbeit",
    "wirtschaft",
    "energie",
    "klima",
    "mobilitaet",
    "verkehr",
    "infrastruktur",
    "glasfaser",
    "mobilfunk",
    "standard",
    "schnitt",
    "stelle",
    "open",
    "source",
    "kuenstlich",
    "intelligenz",
    "algorithmus",
    "anwendung",
    "haushalt",
    "mittel",
    "koordinier",
    "gremium",
    "arbeitsgruppe",
    "auftrag",
    "umsetz",
    "evaluier",
    "steuer",
    "personal",
    "fachkraft",
]
SUFFIXES = ["", "ung", "ungen", "e", "en", "er", "es", "lich", "heit", "keit", "s", "ierung"]
QUERIES = [
    "Digitalisierung",
    "Registermodernisierung",
    "Beschlüsse",
    "Cloud",
    "Breitbandausbau",
    "Datenschutz Verwaltung",
    "Glasfaser",
    "Sicherheit",
    "Bericht Umsetzung",
    "Portal",
    "künstliche Intelligenz",
    "Haushaltsmittel",
    "Open Source",
    "Bildung",
    "Register",
]


def vocabulary(rng: random.Random) -> list[str]:
    words = set()
    for a in STEMS:
        for suffix in SUFFIXES:
            words.add((a + suffix).capitalize())
        for b in rng.sample(STEMS, 6):
            words.add((a + b + rng.choice(SUFFIXES)).capitalize())
    return sorted(words)


def text(rng: random.Random, words: list[str], weights: list[float], n: int) -> str:
    chosen = rng.choices(words, weights=weights, k=n)
    return " ".join(chosen) + "."


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.node()} · {model or platform.processor()} · {os.cpu_count()} cores · Python {platform.python_version()}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def generate(n: int, rng: random.Random) -> None:
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.backends import get_search_backend

    from dmk.bodies.models import State
    from dmk.documents.models import EntryKind, SearchEntry
    from dmk.documents.registry import EntryData, FilePart, _pages_json, build_terms
    from dmk.papers.models import Paper

    words = vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    rng.shuffle(weights)
    states = [
        State.objects.get_or_create(
            code=f"DE-{c}", defaults={"name_de": f"Land {c}", "name_en": c}
        )[0]
        for c in ("BY", "BE", "HB", "HH", "NW", "SN")
    ]
    content_type = ContentType.objects.get_for_model(Paper)
    backend = get_search_backend()
    visibilities = ["public", "internal", "internal", "draft", "restricted"]
    batch_size = 1000
    started = time.perf_counter()
    for start in range(0, n, batch_size):
        rows, m2m = [], []
        for i in range(start, min(n, start + batch_size)):
            author = rng.choice(states)
            data = EntryData(
                kind=EntryKind.PAPER,
                title=text(rng, words, weights, 6),
                url=f"/intern/vorlagen/bench-{i}/",
                visibility=rng.choice(visibilities),
                author_state_id=author.pk,
                files=[
                    FilePart("anlage.pdf", [text(rng, words, weights, 150) for _ in range(3)], True)
                ],
            )
            year = 2020 + i % 6
            rows.append(
                SearchEntry(
                    kind=data.kind,
                    source_type=content_type,
                    source_id=10_000_000 + i,
                    title=data.title,
                    url=data.url,
                    visibility=data.visibility,
                    author_state_id=author.pk,
                    year=year,
                    date=__import__("datetime").date(year, 1 + i % 12, 1 + i % 28),
                    pages=_pages_json(data),
                    terms=build_terms(data),
                )
            )
            m2m.append(author.pk)
        created = SearchEntry.objects.bulk_create(rows)
        SearchEntry.states.through.objects.bulk_create(
            SearchEntry.states.through(searchentry_id=e.pk, state_id=s)
            for e, s in zip(created, m2m, strict=True)
        )
        backend.add_bulk(SearchEntry, created)
        done = min(n, start + batch_size)
        print(
            f"\r  generated {done}/{n} documents ({time.perf_counter() - started:.0f} s)",
            end="",
            flush=True,
        )
    print()


def bench_search(repeats: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dmk.bodies.models import MembershipRole, State
    from dmk.documents.selectors import search
    from tests.factories import user_with_role

    user = user_with_role(
        MembershipRole.MEMBER, State.objects.get(code="DE-BE"), email="bench@land.example"
    )
    search(user=user, query="Digitalisierung")  # warm up caches and connections
    user = type(user).objects.get(pk=user.pk)
    timings, raw, totals = [], [], []
    for _ in range(repeats):
        for query in QUERIES:
            fresh = type(user).objects.get(pk=user.pk)
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                result = search(user=fresh, query=query)
                timings.append(time.perf_counter() - t0)
            totals.append(result.total)
            statements = [q["sql"] for q in captured.captured_queries]
            with connection.cursor() as cursor:
                t0 = time.perf_counter()
                for sql in statements:
                    cursor.execute(sql)
                    cursor.fetchall()
                raw.append(time.perf_counter() - t0)
    p95, raw95 = percentile(timings, 0.95), percentile(raw, 0.95)
    print(
        f"  queries: {len(timings)} ({len(QUERIES)} texts × {repeats}); hits per query: "
        f"median {statistics.median(totals):.0f}, max {max(totals)}"
    )
    print(
        f"  search   p50 {percentile(timings, 0.5) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   (goal ≤ 100 ms)"
    )
    print(
        f"  raw SQL  p50 {percentile(raw, 0.5) * 1000:7.1f} ms   p95 {raw95 * 1000:7.1f} ms   (the statements the search issued)"
    )
    print(f"  ratio search/raw SQL at p95: {p95 / raw95:.2f}   (goal ≤ 1.5)")


def bench_extraction() -> None:
    from weasyprint import HTML

    from dmk.documents.extraction import extract_text

    rng = random.Random(7)
    words = vocabulary(rng)
    pages = 40  # sections; the PDF has at least as many pages
    body = "".join(
        f'<section style="page-break-after: always"><p>{text(rng, words, [1.0] * len(words), 350)}</p></section>'
        for _ in range(pages)
    )
    pdf = HTML(string=f"<html lang='de'><body>{body}</body></html>").write_pdf()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    t0 = time.perf_counter()
    result = extract_text(pdf, name="bench.pdf")
    elapsed = time.perf_counter() - t0
    pages = len(result.pages)
    print(
        f"  extraction ({result.status}): {pages} PDF pages in {elapsed:.2f} s = {pages / elapsed:.1f} pages/s on one core (goal ≥ 20)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--documents", type=int, default=int(os.environ.get("BENCH_SEARCH_DOCUMENTS", 2000))
    )
    parser.add_argument("--repeats", type=int, default=4)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    print(f"machine: {machine()}")
    print(f"database: {connection.vendor}")
    if connection.vendor != "postgresql":
        print("  note: the issue's figures are for PostgreSQL; set DATABASE_URL=postgres://…")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT version()")
                print(f"  {cursor.fetchone()[0].split(',')[0]}")
        print(f"documents: {args.documents}")
        generate(args.documents, random.Random(13))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        bench_search(args.repeats)
        bench_extraction()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
