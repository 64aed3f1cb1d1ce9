"""Spreadsheet files that open safely: the one writer of every CSV and XLSX export (issue 18
item 1).

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as
a formula by Excel and LibreOffice ("CSV injection", OWASP: https://owasp.org/www-community/
attacks/CSV_Injection). A person named ``=HYPERLINK("http://example.invalid";"x")`` must reach
the spreadsheet as that text, never as a live link.

The rules:

- **XLSX**: every cell is written as a typed string cell (``t="s"``), never as a formula, so
  the value stays exactly as stored — "+49 30 123456" remains "+49 30 123456". Characters XML
  1.0 cannot carry (control characters other than tab, LF and CR) are replaced by U+FFFD.
- **CSV** has no cell types. A field that starts with one of the characters above gets a single
  leading apostrophe (``'=HYPERLINK(…)``, ``'@SUM(A1)``, ``'-2+3+cmd|' /C calc'!A0``), as
  OWASP advises. One exception keeps phone numbers and signed numbers as they are: a field
  that starts with ``+`` or ``-`` and holds nothing but digits, spaces and ``+ - / ( ) .``
  ("+49 30 123456", "-5") is written unchanged — without letters, ``!`` or ``|`` it can name
  no function, cell reference or DDE command, so a spreadsheet can at worst do arithmetic.
  Every other field is written unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"[+-][0-9 +\-/().]*")


def csv_safe(value: object) -> str:
    """``value`` as CSV field text: ``None`` → "", a text starting with a formula character
    (:data:`FORMULA_STARTS`) gets a leading apostrophe (OWASP CSV injection) unless it is a
    phone or signed number ("+49 30 123456"); anything else is ``str(value)`` unchanged."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER_LIKE.fullmatch(text):
        return "'" + text
    return text


def xlsx_safe(value: object) -> str:
    """``value`` as XLSX string-cell text: ``None`` → "", characters XML 1.0 cannot hold are
    replaced by U+FFFD; no escaping is needed because the cell is typed as a string."""
    text = "" if value is None else str(value)
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV file for a German Excel: UTF-8 with BOM, ``;`` as separator, CRLF rows, every
    field passed through :func:`csv_safe`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_safe(label) for label in header])
    for row in rows:
        writer.writerow([csv_safe(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """An XLSX workbook with one sheet ``sheet_title``: a header row, then one row per item of
    ``rows``; every cell a typed string cell (never a formula)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row_number, row in enumerate([header, *rows], start=1):
        for column_number, value in enumerate(row, start=1):
            text = xlsx_safe(value)
            if not text:
                continue
            cell = sheet.cell(row=row_number, column=column_number)
            cell.value = text
            # openpyxl types a text starting with "=" as a formula; force a string cell
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
