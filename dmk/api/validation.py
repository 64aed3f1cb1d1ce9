"""Checks our own OParl interface against the OParl 1.1.1 JSON schemas (issue 16 item 5).

:func:`crawl` starts at the ``System`` object and follows every link that points into the
interface — external lists page by page (``links.next``), every object by its ``id`` — and
validates each object (embedded ones too) against the schema of its ``type`` with
``jsonschema``. The schemas (``data/oparl-1.1.1/schema/``, OParl/spec tag v1.1.1, CC BY-SA
4.0) use two keywords of their own, which :func:`validator_for` implements: ``"schema":
"File.json"`` (an embedded object of that type) and the string format ``"url"``.

Used by ``manage.py oparl_validate`` and by the tests (``tests/api``).
"""

from __future__ import annotations

import datetime
import json
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from jsonschema import Draft4Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError

TYPE_PREFIX = "https://schema.oparl.org/1.1/"
#: Fetches a URL and answers (HTTP status, parsed JSON or None).
Fetch = Callable[[str], tuple[int, Any]]


@cache
def schemas(directory: Path | None = None) -> dict[str, dict[str, Any]]:
    """The schemas by file name (``"Meeting.json"`` → dict), read once."""
    folder = Path(directory or settings.DMK_OPARL_SCHEMA_DIR)
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}


def _is_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_datetime(value: object) -> bool:
    """ISO 8601 date and time with an offset (OParl 1.1 §2.3: never a local time alone)."""
    if not isinstance(value, str):
        return True
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return False
    return "T" in value and parsed.tzinfo is not None


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("url")(_is_url)
    checker.checks("date")(_is_date)
    checker.checks("date-time")(_is_datetime)
    return checker


def _embedded(validator: Any, name: str, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    """The OParl keyword ``"schema": "File.json"``: the instance is an object of that type."""
    if not isinstance(instance, dict):
        return
    target = schemas().get(name)
    if target is None:
        yield ValidationError(f"unknown schema {name}")
        return
    yield from validator.descend(instance, target)


OParlValidator = validators.extend(Draft4Validator, {"schema": _embedded})


def validator_for(oparl_type: str) -> Any:
    """A validator for objects of ``oparl_type`` (``"Meeting"``), or None if unknown."""
    schema = schemas().get(f"{oparl_type}.json")
    if schema is None:
        return None
    return OParlValidator(schema, format_checker=format_checker())


@dataclass
class Violation:
    url: str
    message: str

    def __str__(self) -> str:
        return f"{self.url}: {self.message}"


@dataclass
class CrawlReport:
    """What :func:`crawl` found: objects by type (each ``id`` counted once), the lists and
    pages it read, every object by id, and the violations."""

    counts: Counter[str] = field(default_factory=Counter)
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    list_items: dict[str, list[str]] = field(default_factory=dict)
    pages: int = 0
    violations: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations


def _type_of(obj: dict[str, Any]) -> str:
    kind = obj.get("type", "")
    return (
        kind[len(TYPE_PREFIX) :] if isinstance(kind, str) and kind.startswith(TYPE_PREFIX) else ""
    )


def crawl(fetch: Fetch, system_url: str, *, max_requests: int = 100_000) -> CrawlReport:
    """Crawl the interface from ``system_url`` (see the module docstring) and return the
    report. Only URLs under the System's URL are followed; downloads are not fetched."""
    report = CrawlReport()
    queue: deque[str] = deque([system_url])
    fetched: set[str] = set()
    via_lists: dict[str, dict[str, Any]] = {}

    def follow(value: Any) -> None:
        if isinstance(value, str):
            if value.startswith(system_url) and "/download/" not in value and value not in fetched:
                queue.append(value)
        elif isinstance(value, list):
            for v in value:
                follow(v)

    def check(obj: Any, where: str) -> None:
        if not isinstance(obj, dict):
            report.violations.append(Violation(where, "kein JSON-Objekt"))
            return
        oparl_type = _type_of(obj)
        validator = validator_for(oparl_type)
        if validator is None:
            report.violations.append(Violation(where, f"unbekannter Typ {obj.get('type')!r}"))
            return
        for error in validator.iter_errors(obj):
            path = "/".join(str(p) for p in error.absolute_path)
            report.violations.append(Violation(obj.get("id", where), f"{path}: {error.message}"))
        for key in ("created", "modified"):
            if key not in obj:
                report.violations.append(Violation(obj.get("id", where), f"{key} fehlt"))
        visit(obj, oparl_type)

    def visit(obj: dict[str, Any], oparl_type: str) -> None:
        oid = obj.get("id")
        if isinstance(oid, str):
            if oid not in report.objects:
                report.counts[oparl_type] += 1
                report.objects[oid] = obj
            follow(oid)
        for key, value in obj.items():
            if key in ("id", "type", "web", "website", "license", "oparlVersion"):
                continue
            if isinstance(value, dict) and "type" in value:
                check(value, f"{oid}#{key}")
            elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                if all("type" in v for v in value):
                    for v in value:
                        check(v, f"{oid}#{key}")
            else:
                follow(value)

    while queue:
        url = queue.popleft()
        if url in fetched:
            continue
        if len(fetched) >= max_requests:
            report.violations.append(Violation(url, "zu viele Abrufe, Abbruch"))
            break
        fetched.add(url)
        status, data = fetch(url)
        if status != 200 or data is None:
            report.violations.append(Violation(url, f"HTTP {status}"))
            continue
        if isinstance(data, dict) and "data" in data and "pagination" in data:
            report.pages += 1
            _check_page(report, url, data)
            base = url.split("?", 1)[0]
            for item in data.get("data", []):
                if isinstance(item, dict):
                    report.list_items.setdefault(base, []).append(item.get("id", ""))
                    via_lists[item.get("id", "")] = item
                check(item, url)
            follow(data.get("links", {}).get("next"))
            continue
        check(data, url)
        oid = data.get("id") if isinstance(data, dict) else None
        if oid != url.split("?", 1)[0]:
            report.violations.append(Violation(url, f"id {oid!r} ist nicht die eigene URL"))
        if isinstance(oid, str):
            report.objects[oid] = data
            listed = via_lists.get(oid)
            if listed is not None and listed != data:
                report.violations.append(Violation(url, "weicht von der Fassung in der Liste ab"))
    return report


def _check_page(report: CrawlReport, url: str, page: dict[str, Any]) -> None:
    """OParl 1.1 §2.7: ``data`` list, ``pagination`` numbers, ``links.next`` except on the
    last page."""
    pagination = page.get("pagination") or {}
    links = page.get("links") or {}
    if not isinstance(page.get("data"), list):
        report.violations.append(Violation(url, "data ist keine Liste"))
    for key in ("totalElements", "elementsPerPage", "currentPage", "totalPages"):
        if not isinstance(pagination.get(key), int):
            report.violations.append(Violation(url, f"pagination.{key} fehlt"))
    current, total = pagination.get("currentPage"), pagination.get("totalPages")
    if isinstance(current, int) and isinstance(total, int):
        if current < total and "next" not in links:
            report.violations.append(Violation(url, "links.next fehlt"))
        if current >= total and "next" in links:
            report.violations.append(Violation(url, "links.next auf der letzten Seite"))


def client_fetch(client: Any, **extra: Any) -> Fetch:
    """A :data:`Fetch` through Django's test ``client`` (in-process, no network)."""

    def fetch(url: str) -> tuple[int, Any]:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = client.get(path, HTTP_HOST=parts.netloc, **extra)
        if response.status_code != 200:
            return response.status_code, None
        return 200, json.loads(response.content)

    return fetch
