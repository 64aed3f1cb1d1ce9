"""Loading the DMK's real public record (``data/public-record/``) into the database.

Two phases: every file is parsed and checked first (nothing is written); then everything is
written in one transaction. A malformed row therefore stops the run with
:class:`PublicRecordError` naming the file, the line and the reason, and nothing is stored.
Rows are matched by natural keys (ISO code, start date, slug), so a second run changes no row.
"""

from __future__ import annotations

import csv
import datetime
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nh3
from django.db import transaction
from django.utils import timezone
from markdown_it import MarkdownIt

from dmk.bodies.models import Body, ChairPeriod, Organization, State, Topic
from dmk.core.enums import Visibility
from dmk.core.text import german_slug
from dmk.meetings.models import Meeting, MeetingKind, MeetingState
from dmk.papers.models import Consultation, Paper, PaperType
from dmk.resolutions.models import Resolution, ResolutionStatus

FOUNDING_CONCEPT = "konzeptpapier-dmk-2023-11-09.md"
FOUNDING_LABEL = "D16 decision to found DMK"


class PublicRecordError(Exception):
    """A file of the public record cannot be loaded: ``path``, 1-based ``line`` (None when the
    whole file is at fault) and a ``reason`` in plain words."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        where = f"{path.name}, Zeile {line}" if line else path.name
        super().__init__(f"{where}: {reason}")


@dataclass
class StateRow:
    code: str
    name_de: str
    name_en: str
    capital: str


@dataclass
class PeriodRow:
    start: datetime.date
    end: datetime.date
    chair_codes: list[str]
    notes: str


@dataclass
class SessionRow:
    line: int
    ordinal: int | None
    label: str
    name: str
    kind: str
    start: datetime.date | None
    end: datetime.date | None
    place: str
    venue: str
    chair_codes: list[str]
    notes: str
    source_urls: list[str]


@dataclass
class ResolutionRow:
    line: int
    session_label: str
    title: str
    title_is_exact: bool
    initiating_codes: list[str]
    initiating_note: str
    notes: str
    topics: list[str]
    source_url: str


@dataclass
class PublicRecord:
    states: list[StateRow] = field(default_factory=list)
    periods: list[PeriodRow] = field(default_factory=list)
    sessions: list[SessionRow] = field(default_factory=list)
    resolutions: list[ResolutionRow] = field(default_factory=list)
    topics: list[tuple[str, str, str]] = field(default_factory=list)
    concept_text: str = ""


def _upsert(model: Any, defaults: dict[str, Any] | None = None, **lookup: Any) -> tuple[Any, bool]:
    """``update_or_create`` that writes only when a value differs: a second run of the loader
    leaves rows — and their ``modified_at``, which the OParl interface publishes (issue 16) —
    as they are."""
    defaults = defaults or {}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults), True
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.save()
    return obj, False


def _rows(
    path: Path, columns: list[str], *, free_text_last: bool = False
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, row)`` of a UTF-8 CSV whose header must be exactly ``columns``;
    every value in Unicode NFC.

    With ``free_text_last`` the last column is free text that may contain unquoted commas
    (the record's ``dmk-chair-periods.csv`` line 4 does): surplus fields are joined back into
    it. Any other wrong field count raises :class:`PublicRecordError` with the line.
    """
    if not path.is_file():
        raise PublicRecordError(path, None, "Datei fehlt")
    try:
        # the record's text in NFC like everything else we store (issue 18 item 2)
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise PublicRecordError(path, None, f"keine gültige UTF-8-Datei ({exc.reason})") from exc
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header != columns:
        raise PublicRecordError(path, 1, f"Kopfzeile {header!r}, erwartet {columns!r}")
    for index, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if free_text_last and len(values) > len(columns):
            values = [*values[: len(columns) - 1], ",".join(values[len(columns) - 1 :])]
        if len(values) != len(columns):
            raise PublicRecordError(path, index, f"{len(values)} Spalten statt {len(columns)}")
        yield (
            index,
            {
                k: unicodedata.normalize("NFC", v.strip())
                for k, v in zip(columns, values, strict=True)
            },
        )


def _date(path: Path, line: int, value: str, column: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise PublicRecordError(
            path, line, f"{column}={value!r} ist kein Datum (JJJJ-MM-TT)"
        ) from exc


def _states_from_names(
    path: Path, line: int, value: str, by_name: dict[str, str]
) -> tuple[list[str], str]:
    """Parse "Berlin+Brandenburg (D16 co-chair)" into ISO codes and the parenthetical note."""
    note = ""
    match = re.match(r"^(?P<names>[^()]*?)\s*(\((?P<note>.*)\))?$", value)
    names = match.group("names") if match else value
    if match and match.group("note"):
        note = match.group("note")
    codes = []
    for name in filter(None, (n.strip() for n in names.split("+"))):
        if name not in by_name:
            raise PublicRecordError(path, line, f"unbekanntes Land {name!r}")
        codes.append(by_name[name])
    return codes, note


class Speller:
    """Restores umlauts in whole words listed in ``spelling-de.csv`` ("fuer" → "für")."""

    def __init__(self, pairs: dict[str, str]) -> None:
        self.pairs = pairs
        self.pattern = (
            re.compile(r"\b(" + "|".join(map(re.escape, pairs)) + r")\b") if pairs else None
        )

    def __call__(self, text: str) -> str:
        if not self.pattern:
            return text
        return self.pattern.sub(lambda m: self.pairs[m.group(0)], text)


def parse(directory: Path) -> PublicRecord:
    """Read and check every file of the record in ``directory``; write nothing.

    Raises :class:`PublicRecordError` at the first malformed row.
    """
    record = PublicRecord()
    path = directory / "laender.csv"
    for line, row in _rows(path, ["code", "name_de", "name_en", "capital"]):
        if not re.fullmatch(r"DE-[A-Z]{2}", row["code"]):
            raise PublicRecordError(path, line, f"code={row['code']!r} ist kein ISO-3166-2-Code")
        if not row["name_de"]:
            raise PublicRecordError(path, line, "name_de fehlt")
        record.states.append(StateRow(row["code"], row["name_de"], row["name_en"], row["capital"]))
    codes = [s.code for s in record.states]
    if len(codes) != len(set(codes)):
        raise PublicRecordError(path, None, "ein Ländercode kommt doppelt vor")
    by_name = {s.name_de: s.code for s in record.states}

    path = directory / "spelling-de.csv"
    speller = Speller({row["ascii"]: row["german"] for _, row in _rows(path, ["ascii", "german"])})

    path = directory / "topics.csv"
    for _, row in _rows(path, ["slug", "name_de", "name_en"]):
        record.topics.append((row["slug"], row["name_de"], row["name_en"]))
    topic_slugs = {slug for slug, _, _ in record.topics}

    path = directory / "dmk-chair-periods.csv"
    for line, row in _rows(path, ["start", "end", "chair_codes", "notes"], free_text_last=True):
        start = _date(path, line, row["start"], "start")
        end = _date(path, line, row["end"], "end")
        if start is None or end is None:
            raise PublicRecordError(path, line, "start und end sind Pflicht")
        if end < start:
            raise PublicRecordError(path, line, f"end={end} liegt vor start={start}")
        chair_codes = [c.strip() for c in row["chair_codes"].split(";") if c.strip()]
        unknown = [c for c in chair_codes if c not in codes]
        if not chair_codes or unknown:
            raise PublicRecordError(path, line, f"unbekannte oder fehlende Vorsitzländer {unknown}")
        record.periods.append(PeriodRow(start, end, chair_codes, row["notes"]))

    path = directory / "sessions-de.csv"
    german = {row["label"]: row for _, row in _rows(path, ["label", "name_de", "notes_de"])}

    path = directory / "dmk-sessions.csv"
    columns = [
        "ordinal",
        "label",
        "date_start",
        "date_end",
        "place",
        "venue",
        "chair",
        "notes",
        "source_urls",
    ]
    for line, row in _rows(path, columns):
        ordinal: int | None = None
        if row["ordinal"]:
            if not row["ordinal"].isdigit() or int(row["ordinal"]) < 1:
                raise PublicRecordError(
                    path, line, f"ordinal={row['ordinal']!r} ist keine Zahl ≥ 1"
                )
            ordinal = int(row["ordinal"])
        start = _date(path, line, row["date_start"], "date_start")
        end = _date(path, line, row["date_end"], "date_end") or start
        if start and end and end < start:
            raise PublicRecordError(path, line, f"date_end={end} liegt vor date_start={start}")
        if not row["label"]:
            raise PublicRecordError(path, line, "label fehlt")
        chair_codes, _note = _states_from_names(path, line, row["chair"], by_name)
        if row["label"] == FOUNDING_LABEL or row["label"].startswith("D16"):
            kind = MeetingKind.PREDECESSOR
        elif "Sonder" in row["label"]:
            kind = MeetingKind.SPECIAL
        else:
            kind = MeetingKind.REGULAR
        if ordinal is not None and kind != MeetingKind.REGULAR:
            raise PublicRecordError(path, line, "nur ordentliche Sitzungen haben eine Nummer")
        texts = german.get(row["label"], {})
        record.sessions.append(
            SessionRow(
                line=line,
                ordinal=ordinal,
                label=row["label"],
                name=texts.get("name_de") or row["label"],
                kind=kind,
                start=start,
                end=end,
                place=row["place"],
                venue=row["venue"],
                chair_codes=chair_codes,
                notes=texts.get("notes_de") or row["notes"],
                source_urls=[u.strip() for u in row["source_urls"].split(" ; ") if u.strip()],
            )
        )
    ordinals = [s.ordinal for s in record.sessions if s.ordinal is not None]
    if len(ordinals) != len(set(ordinals)):
        raise PublicRecordError(path, None, "eine Sitzungsnummer kommt doppelt vor")
    labels = {s.label for s in record.sessions}

    path = directory / "resolutions-de.csv"
    editorial = {
        (row["session"], row["title_or_topic"]): row
        for _, row in _rows(path, ["session", "title_or_topic", "notes_de", "topics"])
    }

    path = directory / "dmk-resolution-topics.csv"
    columns = [
        "session",
        "title_or_topic",
        "title_is_exact",
        "initiating_land",
        "notes",
        "source_url",
    ]
    for line, row in _rows(path, columns):
        label = _session_label(row["session"], record.sessions)
        if label not in labels:
            raise PublicRecordError(path, line, f"unbekannte Sitzung {row['session']!r}")
        if not row["title_or_topic"]:
            raise PublicRecordError(path, line, "title_or_topic fehlt")
        exact = row["title_is_exact"].lower()
        if not (exact.startswith("yes") or exact.startswith("no")):
            raise PublicRecordError(path, line, f"title_is_exact={row['title_is_exact']!r}")
        initiating_codes, initiating_note = _states_from_names(
            path, line, row["initiating_land"], by_name
        )
        extra = editorial.get((row["session"], row["title_or_topic"]), {})
        topics = [t for t in extra.get("topics", "").split(";") if t]
        unknown_topics = [t for t in topics if t not in topic_slugs]
        if unknown_topics:
            raise PublicRecordError(path, line, f"unbekannte Themen {unknown_topics}")
        record.resolutions.append(
            ResolutionRow(
                line=line,
                session_label=label,
                title=speller(row["title_or_topic"]),
                title_is_exact=exact.startswith("yes"),
                initiating_codes=initiating_codes,
                initiating_note=initiating_note,
                notes=extra.get("notes_de") or speller(row["notes"]),
                topics=topics,
                source_url=row["source_url"],
            )
        )

    path = directory / FOUNDING_CONCEPT
    if not path.is_file():
        raise PublicRecordError(path, None, "Datei fehlt")
    record.concept_text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    return record


def _session_label(value: str, sessions: list[SessionRow]) -> str:
    """Resolve "3. DMK" to the label of the session with ordinal 3; other labels as given."""
    match = re.fullmatch(r"(\d+)\. DMK", value)
    if match:
        for session in sessions:
            if session.ordinal == int(match.group(1)):
                return session.label
    return value


def render_markdown(text: str) -> str:
    """Markdown → sanitised HTML (nh3); headings shifted one level down so that the page's
    own ``<h1>`` stays the only one."""
    html = MarkdownIt("commonmark").enable("table").render(text)
    for level in range(5, 0, -1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    return nh3.clean(html)


@dataclass
class LoadResult:
    states: int
    periods: int
    meetings: int
    resolutions: int
    topics: int


def _meeting_slug(session: SessionRow) -> str:
    if session.ordinal is not None:
        return f"{session.ordinal}-dmk"
    base = german_slug(session.name)
    return f"{base}-{session.start:%Y-%m-%d}" if session.start else base


@transaction.atomic
def load(record: PublicRecord, *, today: datetime.date | None = None) -> LoadResult:
    """Write a parsed record. Idempotent: rows are matched by natural keys and only changed
    when their content differs. ``today`` (Europe/Berlin date, default now) decides whether a
    dated session counts as held."""
    today = today or timezone.localdate()
    body, _ = Body.objects.get_or_create(
        short_name="DMK",
        defaults={
            "name": "Digitalministerkonferenz",
            "name_en": "Conference of Digital Ministers",
            "founded_on": datetime.date(2023, 11, 9),
        },
    )
    plenary, _ = Organization.objects.get_or_create(
        body=body,
        name="Digitalministerkonferenz (Plenum)",
        defaults={"kind": Organization.Kind.PLENARY, "short_name": "DMK"},
    )
    states = {}
    for row in record.states:
        states[row.code], _ = _upsert(
            State,
            code=row.code,
            defaults={"name_de": row.name_de, "name_en": row.name_en, "capital": row.capital},
        )
    for order, (slug, name_de, name_en) in enumerate(record.topics, start=1):
        _upsert(
            Topic, slug=slug, defaults={"name_de": name_de, "name_en": name_en, "sort_order": order}
        )
    topics = {t.slug: t for t in Topic.objects.all()}
    periods = []
    for row in record.periods:
        period, _ = _upsert(
            ChairPeriod,
            body=body,
            start_date=row.start,
            defaults={"end_date": row.end, "notes": row.notes},
        )
        period.chairs.set([states[c] for c in row.chair_codes])
        periods.append(period)

    meetings: dict[str, Meeting] = {}
    for row in record.sessions:
        period = next((p for p in periods if row.start and p.contains(row.start)), None)
        if period is None and row.start is None:
            period = next(
                (
                    p
                    for p in periods
                    if set(row.chair_codes) == {c.code for c in p.chairs.all()}
                    and p.end_date >= today
                ),
                None,
            )
        state = MeetingState.HELD if row.start and row.start <= today else MeetingState.PLANNED
        meeting, _ = _upsert(
            Meeting,
            slug=_meeting_slug(row),
            defaults={
                "body": body,
                "organization": plenary,
                "kind": row.kind,
                "ordinal": row.ordinal,
                "name": row.name,
                "state": state,
                "start_date": row.start,
                "end_date": row.end,
                "place": row.place,
                "venue": row.venue,
                "chair_period": period,
                "notes": row.notes,
                "source_urls": "\n".join(row.source_urls),
                "is_public": True,
            },
        )
        meeting.chairs.set([states[c] for c in row.chair_codes])
        meetings[row.label] = meeting

    founding_meeting = meetings.get(FOUNDING_LABEL)
    concept, _ = _upsert(
        Paper,
        slug="konzeptpapier-dmk-2023-11-09",
        defaults={
            "body": body,
            "title": "Konzeptpapier: Die Digitalministerkonferenz (DMK) – Selbstverständnis, "
            "Organisation, Gründung",
            "paper_type": PaperType.CONCEPT,
            "date": datetime.date(2023, 11, 9),
            "visibility": Visibility.PUBLIC,
            "originator_note": "D16",
            "text_source": record.concept_text,
            "text_html": render_markdown(record.concept_text),
            "source_filename": FOUNDING_CONCEPT,
        },
    )
    resolution_count = 0
    if founding_meeting is not None:
        Consultation.objects.get_or_create(
            paper=concept,
            meeting=founding_meeting,
            agenda_item=None,
            defaults={"role": "Beschlussfassung"},
        )
        _upsert_resolution(
            slug="d16-gruendung-der-dmk-2023-11-09",
            body=body,
            meeting=founding_meeting,
            paper=concept,
            title="Gründung der Digitalministerkonferenz",
            title_is_exact=False,
            notes=founding_meeting.notes,
            source_url=(founding_meeting.source_url_list or [""])[0],
            sort_order=0,
            initiating=[],
            initiating_note="",
            topic_objs=[],
        )
        resolution_count += 1
    for order, row in enumerate(record.resolutions, start=1):
        meeting = meetings[row.session_label]
        _upsert_resolution(
            slug=german_slug(f"{meeting.slug}-{row.title}", max_length=150),
            body=body,
            meeting=meeting,
            paper=None,
            title=row.title,
            title_is_exact=row.title_is_exact,
            notes=row.notes,
            source_url=row.source_url,
            sort_order=order,
            initiating=[states[c] for c in row.initiating_codes],
            initiating_note=row.initiating_note,
            topic_objs=[topics[t] for t in row.topics],
        )
        resolution_count += 1
    return LoadResult(
        states=len(states),
        periods=len(periods),
        meetings=len(meetings),
        resolutions=resolution_count,
        topics=len(topics),
    )


def _upsert_resolution(
    *,
    slug: str,
    body: Body,
    meeting: Meeting,
    paper: Paper | None,
    title: str,
    title_is_exact: bool,
    notes: str,
    source_url: str,
    sort_order: int,
    initiating: list[State],
    initiating_note: str,
    topic_objs: list[Topic],
) -> Resolution:
    resolution, _ = _upsert(
        Resolution,
        slug=slug,
        defaults={
            "body": body,
            "meeting": meeting,
            "paper": paper,
            "title": title,
            "title_is_exact": title_is_exact,
            "status": ResolutionStatus.ADOPTED,
            "decided_on": meeting.end_date,
            "visibility": Visibility.PUBLIC,
            "vote_table_known": False,
            "notes": notes,
            "source_url": source_url,
            "sort_order": sort_order,
            "initiating_note": initiating_note,
        },
    )
    resolution.initiating_states.set(initiating)
    resolution.topics.set(topic_objs)
    return resolution
