"""Exports that open safely in a spreadsheet (issue 18 item 1; OWASP CSV injection)."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from dmk.core.spreadsheet import csv_bytes, csv_safe, xlsx_bytes

HYPERLINK = '=HYPERLINK("http://example.invalid";"x")'
PHONE = "+49 30 123456"


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def _xlsx_cells(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows()]


def _starts_a_formula(field: str) -> bool:
    """What a spreadsheet opening a CSV would evaluate: a field starting with = @ tab CR, or
    with + / - followed by anything but digits, spaces and + - / ( ) . (plain arithmetic)."""
    if field[:1] in ("=", "@", "\t", "\r"):
        return True
    if field[:1] in ("+", "-"):
        return any(c not in "0123456789 +-/()." for c in field)
    return False


def test_a_hyperlink_formula_is_written_as_text_into_the_csv():
    rows = _csv_rows(csv_bytes(["Nachname"], [[HYPERLINK]]))
    assert rows == [["Nachname"], ["'" + HYPERLINK]]


def test_a_hyperlink_formula_is_a_string_cell_in_the_xlsx():
    cells = _xlsx_cells(xlsx_bytes("Kontakte", ["Nachname"], [[HYPERLINK]]))
    assert cells[1][0].value == HYPERLINK
    assert cells[1][0].data_type == "s"


def test_a_phone_number_stays_as_it_is_in_csv_and_xlsx():
    assert _csv_rows(csv_bytes(["Telefon"], [[PHONE]]))[1] == [PHONE]
    cell = _xlsx_cells(xlsx_bytes("Kontakte", ["Telefon"], [[PHONE]]))[1][0]
    assert (cell.value, cell.data_type) == (PHONE, "s")


def test_each_formula_start_of_owasp_gets_the_apostrophe_in_csv():
    assert [csv_safe(v) for v in ["=1+1", "+A1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)"]] == [
        "'=1+1",
        "'+A1",
        "'-2+3+cmd|' /C calc'!A0",
        "'@SUM(A1)",
    ]
    assert [csv_safe(v) for v in ["\t=1", "\r=1", "-5", "Müller", None]] == [
        "'\t=1",
        "'\r=1",
        "-5",
        "Müller",
        "",
    ]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=6))
def test_no_exported_cell_of_arbitrary_text_is_a_formula(values):
    csv_fields = _csv_rows(csv_bytes(["Spalte"] * len(values), [values]))[1]
    assert not any(_starts_a_formula(field) for field in csv_fields)
    assert [f[1:] if f != v else f for f, v in zip(csv_fields, values, strict=True)] == values

    cells = _xlsx_cells(xlsx_bytes("Blatt", ["Spalte"] * len(values), [values]))[1]
    assert all(cell.data_type != "f" for cell in cells)
    assert all(cell.value is None or isinstance(cell.value, str) for cell in cells)
