"""Take the rows of every table after a slow load once, and put them back in later tests.

Loading the real record takes about a second and the website's Wagtail pages several more
(every page is saved, revised, published, translated and indexed). Hundreds of tests start from
exactly that state, so each test process loads it once, keeps every row of every table in
memory (a *database image*), and later tests get the same rows back by plain ``DELETE`` and
``INSERT`` inside their own transaction, which the test's rollback undoes as usual.

The image is used only when the database is in exactly the state it was in before the first
load (same rows in every table, compared by a hash of all rows); otherwise the fixture loads
the slow way. So a test that created objects before asking for the record, or runs after a
transactional test re-created the content types under new ids, still gets a correct database.
The data are the same either way: the image holds what the real loader wrote.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from wagtail.models import Site

T = TypeVar("T")

_MAX_IMAGES_PER_KEY = 3


@dataclass(frozen=True)
class _Table:
    name: str
    columns: tuple[str, ...]
    json_columns: frozenset[int]


@dataclass
class _Image:
    before: str
    rows: dict[str, list[tuple[Any, ...]]]
    result: Any


_IMAGES: dict[str, list[_Image]] = {}


def _virtual_tables() -> set[str]:
    """SQLite's full-text tables of Wagtail search: kept in step with their source table by
    triggers, so they are neither read nor written here."""
    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
        )
        return {name for (name,) in cursor.fetchall()}


def _tables() -> list[_Table]:
    """Every table that holds a managed model's rows (also many-to-many tables), with its
    concrete columns; not SQLite's virtual full-text tables."""
    existing = set(connection.introspection.table_names()) - _virtual_tables()
    tables: dict[str, _Table] = {}
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        # unmanaged tables (Wagtail's SQLite full-text table) follow their source by triggers
        if (
            not opts.managed
            or opts.proxy
            or opts.db_table in tables
            or opts.db_table not in existing
        ):
            continue
        fields = opts.local_concrete_fields
        tables[opts.db_table] = _Table(
            name=opts.db_table,
            columns=tuple(field.column for field in fields),
            json_columns=frozenset(
                i
                for i, field in enumerate(fields)
                if isinstance(field, models.JSONField)
                or (field.db_type(connection) or "").startswith("json")
            ),
        )
    return list(tables.values())


def _select(cursor, table: _Table) -> list[tuple[Any, ...]]:
    qn = connection.ops.quote_name
    cursor.execute(
        f"SELECT {', '.join(map(qn, table.columns))} FROM {qn(table.name)}"  # noqa: S608 (names from the model registry)
    )
    return cursor.fetchall()


def _fingerprint(tables: list[_Table]) -> str:
    digest = hashlib.sha256()
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {qn(table.name)}")  # noqa: S608
            if cursor.fetchone()[0] == 0:
                continue
            digest.update(table.name.encode())
            for row in sorted(repr(row) for row in _select(cursor, table)):
                digest.update(row.encode())
    return digest.hexdigest()


def _take(tables: list[_Table]) -> dict[str, list[tuple[Any, ...]]]:
    with connection.cursor() as cursor:
        return {table.name: _select(cursor, table) for table in tables}


def _adapt(table: _Table, row: tuple[Any, ...]) -> tuple[Any, ...]:
    if not table.json_columns or connection.vendor != "postgresql":
        return row
    from psycopg.types.json import Jsonb

    return tuple(
        Jsonb(value) if i in table.json_columns and value is not None else value
        for i, value in enumerate(row)
    )


def _put_back(tables: list[_Table], rows: dict[str, list[tuple[Any, ...]]]) -> None:
    qn = connection.ops.quote_name
    # foreign keys are DEFERRABLE INITIALLY DEFERRED on SQLite and PostgreSQL: checked at the end
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {qn(table.name)}")  # noqa: S608
        for table in tables:
            table_rows = rows.get(table.name)
            if not table_rows:
                continue
            placeholders = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(
                f"INSERT INTO {qn(table.name)} ({', '.join(map(qn, table.columns))}) "  # noqa: S608
                f"VALUES ({placeholders})",
                [_adapt(table, row) for row in table_rows],
            )
    ContentType.objects.clear_cache()
    Site.clear_site_root_paths_cache()


def load_once(key: str, build: Callable[[], T]) -> T:
    """Return ``build()``'s result with the database holding what ``build`` writes.

    The first call per process (and per starting state) runs ``build`` and keeps an image of
    every table; later calls from the same starting state put that image back instead.
    ``key`` names the load (e.g. ``"public_record"``).
    """
    tables = _tables()
    before = _fingerprint(tables)
    images = _IMAGES.setdefault(key, [])
    for image in images:
        if image.before == before:
            _put_back(tables, image.rows)
            return image.result
    ContentType.objects.clear_cache()
    result = build()
    if len(images) < _MAX_IMAGES_PER_KEY:
        images.append(_Image(before=before, rows=_take(tables), result=result))
    return result
