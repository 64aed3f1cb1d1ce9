"""The loader of the DMK's real public record (issue 2 item 4)."""

from __future__ import annotations

import datetime
import shutil

import pytest
from django.core.management import CommandError, call_command

from dmk.bodies.models import ChairPeriod, State, Topic
from dmk.demo.public_record import PublicRecordError, load, parse
from dmk.meetings.models import Meeting, MeetingKind
from dmk.papers.models import Paper
from dmk.resolutions.models import Resolution
from tests.conftest import DATA_DIR

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, list]:
    """Every loaded row with its content, to compare two runs exactly."""
    return {
        "states": list(State.objects.order_by("code").values()),
        "periods": list(ChairPeriod.objects.order_by("start_date").values()),
        "period_chairs": sorted(
            (p.start_date, s.code) for p in ChairPeriod.objects.all() for s in p.chairs.all()
        ),
        "meetings": list(Meeting.objects.order_by("slug").values()),
        "resolutions": list(Resolution.objects.order_by("slug").values()),
        "resolution_topics": sorted(
            (r.slug, t.slug) for r in Resolution.objects.all() for t in r.topics.all()
        ),
        "papers": list(Paper.objects.order_by("slug").values()),
        "topics": list(Topic.objects.order_by("slug").values()),
    }


def test_loads_the_sixteen_laender(public_record):
    assert State.objects.count() == 16
    assert State.objects.get(code="DE-TH").name_de == "Thüringen"
    assert State.objects.get(code="DE-NW").name_en == "North Rhine-Westphalia"


def test_special_session_has_no_ordinal_and_the_next_regular_one_is_still_the_third(
    public_record,
):
    special = Meeting.objects.get(kind=MeetingKind.SPECIAL)
    assert special.ordinal is None
    assert special.start_date == datetime.date(2025, 3, 28)
    third = Meeting.objects.get(ordinal=3)
    assert third.start_date == datetime.date(2025, 5, 12)
    assert third.end_date == datetime.date(2025, 5, 13)
    assert third.place == "Ingelheim am Rhein"
    assert sorted(Meeting.objects.exclude(ordinal=None).values_list("ordinal", flat=True)) == [
        1,
        2,
        3,
        4,
    ]


def test_founding_decision_is_a_predecessor_meeting_without_ordinal(public_record):
    d16 = Meeting.objects.get(kind=MeetingKind.PREDECESSOR)
    assert d16.ordinal is None
    assert d16.start_date == datetime.date(2023, 11, 9)


def test_chair_2024_is_brandenburg_and_berlin_jointly(public_record):
    period = ChairPeriod.objects.get(start_date=datetime.date(2024, 1, 1))
    assert sorted(period.chairs.values_list("code", flat=True)) == ["DE-BB", "DE-BE"]
    assert period.end_date == datetime.date(2024, 12, 31)


def test_chair_period_notes_keep_their_unquoted_comma(public_record):
    period = ChairPeriod.objects.get(start_date=datetime.date(2026, 1, 1))
    assert period.notes == (
        "Hamburg; spring session in Hamburg, autumn session announced for Brussels"
    )
    assert list(period.chairs.values_list("code", flat=True)) == ["DE-HH"]


def test_first_session_is_in_potsdam_on_19_april_2024(public_record):
    first = Meeting.objects.get(ordinal=1)
    assert (first.place, first.venue) == ("Potsdam", "Hasso-Plattner-Institut")
    assert first.start_date == first.end_date == datetime.date(2024, 4, 19)
    assert sorted(first.chairs.values_list("code", flat=True)) == ["DE-BB", "DE-BE"]


def test_resolutions_are_loaded_with_restored_umlauts_and_exactness(public_record):
    assert Resolution.objects.count() == 18  # 17 rows + the D16 founding decision
    digital_only = Resolution.objects.get(
        title="Digital Only als Leitlinie der öffentlichen Verwaltung"
    )
    assert digital_only.meeting.ordinal == 3
    assert digital_only.title_is_exact is False
    assert digital_only.vote_table_known is False
    agenda = Resolution.objects.get(title="Digitale Agenda 2025")
    assert agenda.title_is_exact is True
    assert agenda.meeting.kind == MeetingKind.SPECIAL
    assert list(agenda.initiating_states.values_list("code", flat=True)) == ["DE-RP"]


def test_founding_concept_is_the_paper_behind_the_d16_decision(public_record):
    concept = Paper.objects.get(slug="konzeptpapier-dmk-2023-11-09")
    founding = Resolution.objects.get(meeting__kind=MeetingKind.PREDECESSOR)
    assert founding.paper == concept
    assert "Stimmrechtsübertragung während der Sitzung" in concept.text_source
    assert "<h2>Konzeptpapier</h2>" in concept.text_html
    assert "<script" not in concept.text_html


def test_second_run_changes_no_row(public_record):
    before = snapshot()
    load(parse(DATA_DIR))
    assert snapshot() == before


def test_management_command_reports_counts(db, capsys):
    call_command("load_public_record", str(DATA_DIR))
    assert capsys.readouterr().out.strip() == (
        "Geladen: 16 Länder, 3 Vorsitzperioden, 7 Sitzungen, 18 Beschlüsse, 11 Themen."
    )


@pytest.fixture
def record_copy(tmp_path):
    target = tmp_path / "record"
    shutil.copytree(DATA_DIR, target)
    return target


def test_malformed_line_is_reported_with_file_and_line_and_nothing_is_stored(db, record_copy):
    sessions = record_copy / "dmk-sessions.csv"
    lines = sessions.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("2024-10-17", "2024-13-17")  # line 4 of the file
    sessions.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(PublicRecordError) as excinfo:
        load(parse(record_copy))

    assert (excinfo.value.path.name, excinfo.value.line) == ("dmk-sessions.csv", 4)
    assert str(excinfo.value) == (
        "dmk-sessions.csv, Zeile 4: date_start='2024-13-17' ist kein Datum (JJJJ-MM-TT)"
    )
    assert Meeting.objects.count() == 0
    assert State.objects.count() == 0


def test_unknown_land_in_a_row_names_the_line(db, record_copy):
    periods = record_copy / "dmk-chair-periods.csv"
    periods.write_text(
        periods.read_text(encoding="utf-8").replace("DE-RP", "DE-XX"), encoding="utf-8"
    )
    with pytest.raises(PublicRecordError, match=r"^dmk-chair-periods.csv, Zeile 3: "):
        parse(record_copy)


def test_command_turns_a_malformed_file_into_a_command_error(db, record_copy):
    (record_copy / "laender.csv").write_text("code,name\nDE-BW,Baden-Württemberg\n", "utf-8")
    with pytest.raises(CommandError, match=r"^laender.csv, Zeile 1: Kopfzeile"):
        call_command("load_public_record", str(record_copy))
    assert State.objects.count() == 0
