"""Backup and restore of a whole instance: database and uploaded files (issue 17 item 4).

A backup is a directory::

    dmk-backup-20261204T023000/
        database.dump          (PostgreSQL: pg_dump custom format)  or
        database.sqlite3       (SQLite: the online backup API's copy)
        media/…                (every file below MEDIA_ROOT)
        manifest.json          SHA-256 of every file; row count and SHA-256 of every table
        manifest.json.sha256   SHA-256 of manifest.json

Row counts and table checksums are taken from the same snapshot the dump is written from
(PostgreSQL: an exported snapshot of a REPEATABLE READ transaction handed to
``pg_dump --snapshot``; SQLite: read from the backup copy itself). :func:`restore` refuses a
non-empty target, checks every file against the manifest before touching anything, restores,
and then reads the target again: every table's row count and checksum and every restored
file's SHA-256 must equal the manifest, or :class:`BackupError` names what differs.

Object storage (``S3_BUCKET``) is not copied: use the bucket's versioning (docs/operations.md).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup cannot be written or restored, or a restore does not match its manifest."""


# --- helpers ---------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of the file at ``path``."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _files_below(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path


def _normalise(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def table_stats(cursor: Any, tables: list[str], quote: Any) -> dict[str, dict[str, Any]]:
    """``{table: {"rows": n, "sha256": hex}}`` for ``tables`` read through a DB-API
    ``cursor``: the checksum runs over every row in a total order (``ORDER BY`` every
    column), so equal content gives an equal checksum on the same database system."""
    stats: dict[str, dict[str, Any]] = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT * FROM {quote(table)} LIMIT 0")  # noqa: S608 - names from introspection
        width = len(cursor.description)
        order = ", ".join(str(n) for n in range(1, width + 1))
        cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")  # noqa: S608
        digest = hashlib.sha256()
        rows = 0
        while batch := cursor.fetchmany(2000):
            for row in batch:
                digest.update(repr(tuple(_normalise(v) for v in row)).encode())
                digest.update(b"\n")
            rows += len(batch)
        stats[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return stats


# --- database access by settings dict (Django's DATABASES entry) ----------------------------


def vendor_of(db: dict[str, Any]) -> str:
    engine = db["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"database engine {engine} is not supported")


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[name] = str(db[key])
    return env


def _pg_connect(db: dict[str, Any], *, autocommit: bool = False) -> Any:
    import psycopg

    return psycopg.connect(
        autocommit=autocommit,
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )


def _pg_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_PG_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
_SQLITE_TABLES = (
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
)


def _sqlite_connect(name: str | os.PathLike[str]) -> sqlite3.Connection:
    """A connection to the SQLite database ``name`` (a path or a ``file:`` URI, as Django's
    test databases in memory are)."""
    name = str(name)
    return sqlite3.connect(name, uri=name.startswith("file:"))


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


# --- backup ------------------------------------------------------------------------------------


def backup(
    *, target: Path, db: dict[str, Any], media_root: Path, sqlite_connection: Any = None
) -> Path:
    """Write a backup of the database ``db`` (a DATABASES entry) and of ``media_root`` into the
    new directory ``target``; returns ``target``. For SQLite, ``sqlite_connection`` (a
    ``sqlite3.Connection``, e.g. Django's) is copied with the online backup API; else the file
    ``db["NAME"]`` is opened. Raises BackupError (target exists, pg_dump fails)."""
    if target.exists():
        raise BackupError(f"{target} exists already")
    target.mkdir(parents=True)
    vendor = vendor_of(db)
    if vendor == "postgresql":
        database_file = "database.dump"
        with _pg_connect(db, autocommit=True) as conn:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            tables = [row[0] for row in conn.execute(_PG_TABLES).fetchall()]
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target / database_file}",
                ],
                env=_pg_env(db),
            )
            with conn.cursor() as cursor:
                stats = table_stats(cursor, tables, _pg_quote)
            conn.execute("ROLLBACK")
    else:
        database_file = "database.sqlite3"
        source = sqlite_connection or _sqlite_connect(db["NAME"])
        copy = sqlite3.connect(target / database_file)
        try:
            source.backup(copy)
            tables = [row[0] for row in copy.execute(_SQLITE_TABLES).fetchall()]
            stats = table_stats(copy.cursor(), tables, _pg_quote)
        finally:
            copy.close()
            if sqlite_connection is None:
                source.close()
    files = {database_file: sha256_file(target / database_file)}
    for path in _files_below(media_root):
        relative = Path("media") / path.relative_to(media_root)
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / relative)
        files[relative.as_posix()] = sha256_file(target / relative)
    manifest = {
        "format": FORMAT,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "vendor": vendor,
        "database_file": database_file,
        "files": files,
        "tables": stats,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    (target / f"{MANIFEST}.sha256").write_text(sha256_file(target / MANIFEST) + "\n")
    return target


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups (``dmk-backup-*``) in ``directory``."""
    backups = sorted(p for p in directory.glob("dmk-backup-*") if (p / MANIFEST).exists())
    doomed = backups[:-keep] if keep > 0 else []
    for path in doomed:
        shutil.rmtree(path)
    return doomed


# --- restore -----------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest of the backup in ``source``, after checking its own SHA-256 and every
    file's; raises BackupError naming the first file that is missing or differs."""
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} has no {MANIFEST}")
    expected = (source / f"{MANIFEST}.sha256").read_text().strip()
    if sha256_file(manifest_path) != expected:
        raise BackupError(f"{MANIFEST} does not match its checksum")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for name, digest in manifest["files"].items():
        path = source / name
        if not path.is_file() or sha256_file(path) != digest:
            raise BackupError(f"{name} is missing or does not match the manifest")
    return manifest


def _is_empty(db: dict[str, Any]) -> bool:
    if vendor_of(db) == "postgresql":
        with _pg_connect(db) as conn:
            return not conn.execute(_PG_TABLES).fetchall()
    name = str(db["NAME"])
    if not name.startswith("file:") and not Path(name).exists():
        return True
    conn = _sqlite_connect(name)
    try:
        return not conn.execute(_SQLITE_TABLES).fetchall()
    finally:
        conn.close()


def current_stats(db: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Row counts and checksums of every table of ``db`` as it is now."""
    if vendor_of(db) == "postgresql":
        with _pg_connect(db) as conn, conn.cursor() as cursor:
            tables = [row[0] for row in conn.execute(_PG_TABLES).fetchall()]
            return table_stats(cursor, tables, _pg_quote)
    conn = _sqlite_connect(db["NAME"])
    try:
        tables = [row[0] for row in conn.execute(_SQLITE_TABLES).fetchall()]
        return table_stats(conn.cursor(), tables, _pg_quote)
    finally:
        conn.close()


def differences(expected: dict[str, dict[str, Any]], found: dict[str, dict[str, Any]]) -> list[str]:
    """Human-readable lines for every table whose rows or checksum differ."""
    lines = []
    for table in sorted(set(expected) | set(found)):
        want, have = expected.get(table), found.get(table)
        if want is None or have is None:
            lines.append(f"{table}: {'missing' if have is None else 'not in the backup'}")
        elif want["rows"] != have["rows"]:
            lines.append(f"{table}: {have['rows']} rows, backup has {want['rows']}")
        elif want["sha256"] != have["sha256"]:
            lines.append(f"{table}: same row count, different content")
    return lines


def restore(*, source: Path, db: dict[str, Any], media_root: Path) -> dict[str, Any]:
    """Restore the backup in ``source`` into the empty database ``db`` and the empty (or
    missing) ``media_root``, then verify every table and file against the manifest.

    Returns ``{"tables": n, "rows": n, "files": n}``. Raises BackupError when the backup is
    damaged, the target is not empty, the database systems differ, or the verification fails.
    """
    manifest = read_manifest(source)
    vendor = vendor_of(db)
    if manifest["vendor"] != vendor:
        raise BackupError(f"backup of {manifest['vendor']} cannot be restored into {vendor}")
    if not _is_empty(db):
        raise BackupError("the target database is not empty; restore only into a new instance")
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"{media_root} is not empty")
    database_file = source / manifest["database_file"]
    if vendor == "postgresql":
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={db['NAME']}",
                str(database_file),
            ],
            env=_pg_env(db),
        )
        # pg_restore brings no planner statistics: without them PostgreSQL estimates every
        # table as nearly empty and joins the whole archive before sorting (43 ms instead of
        # 0.5 ms for the feed at 10,000 resolutions; issue 17). ANALYZE as the docs advise.
        _run(["vacuumdb", "--analyze-only", f"--dbname={db['NAME']}"], env=_pg_env(db))
    else:
        if not str(db["NAME"]).startswith("file:"):
            Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        src, dst = sqlite3.connect(database_file), _sqlite_connect(db["NAME"])
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    media_files = {k: v for k, v in manifest["files"].items() if k.startswith("media/")}
    for name in media_files:
        destination = media_root / Path(name).relative_to("media")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, destination)
    problems = differences(manifest["tables"], current_stats(db))
    for name, digest in media_files.items():
        restored = media_root / Path(name).relative_to("media")
        if sha256_file(restored) != digest:
            problems.append(f"{name}: checksum differs after restore")
    if problems:
        raise BackupError("restore does not match the backup:\n" + "\n".join(problems))
    return {
        "tables": len(manifest["tables"]),
        "rows": sum(t["rows"] for t in manifest["tables"].values()),
        "files": len(media_files),
    }
