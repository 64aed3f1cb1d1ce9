"""File formats of the contact directory (issue 3 item 6): vCard 3.0 (RFC 2426, UTF-8, via
vobject), CSV for a German Excel (UTF-8 with BOM, semicolons) and XLSX (openpyxl).

The functions write whatever the given persons hold: the caller
(``dmk.portal.contacts``) passes copies in which every field the user may not read
(``dmk.access.policy.visible_contact_fields``) is already empty."""

from __future__ import annotations

from collections.abc import Iterable

import vobject
from django.http import HttpResponse

from dmk.bodies.models import Person
from dmk.core.downloads import attach_filename
from dmk.core.spreadsheet import csv_bytes, xlsx_bytes

COLUMNS = [
    ("Anrede", "form_of_address"),
    ("Titel", "title"),
    ("Vorname", "given_name"),
    ("Nachname", "family_name"),
    ("Funktion", "function"),
    ("Ressort", "ministry"),
    ("Land", "state"),
    ("E-Mail", "email"),
    ("Telefon", "phone"),
    ("Mobil", "mobile"),
    ("Straße", "street"),
    ("PLZ", "postal_code"),
    ("Ort", "city"),
    ("Büro / Vorzimmer", "office_contact"),
    ("Büro E-Mail", "office_email"),
    ("Büro Telefon", "office_phone"),
]


def _value(person: Person, attr: str) -> str:
    if attr == "state":
        return person.state.name_de if person.state_id else ""
    return str(getattr(person, attr) or "")


def vcard(person: Person) -> str:
    """One vCard 3.0 of ``person`` (FN, N, EMAIL, TEL, ORG, TITLE, ADR), CRLF line ends."""
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(
        family=person.family_name, given=person.given_name, prefix=person.title
    )
    card.add("fn").value = person.full_name
    if person.email:
        email = card.add("email")
        email.value = person.email
        email.type_param = "INTERNET"
    for number, kind in ((person.phone, "WORK"), (person.mobile, "CELL")):
        if number:
            tel = card.add("tel")
            tel.value = number
            tel.type_param = kind
    org = [p for p in (person.ministry, person.state.name_de if person.state_id else "") if p]
    if org:
        card.add("org").value = org
    if person.function:
        card.add("title").value = person.function
    if person.street or person.city:
        adr = card.add("adr")
        adr.value = vobject.vcard.Address(
            street=person.street, city=person.city, code=person.postal_code, country="Deutschland"
        )
        adr.type_param = "WORK"
    return card.serialize()


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    return attach_filename(HttpResponse(content, content_type=content_type), filename)


def vcard_response(persons: Iterable[Person], filename: str) -> HttpResponse:
    """All ``persons`` as one .vcf download (vCard 3.0, UTF-8; RFC 6266 file name)."""
    text = "".join(vcard(p) for p in persons)
    return _attachment(text.encode("utf-8"), "text/vcard; charset=utf-8", filename)


def _rows(persons: Iterable[Person]) -> list[list[str]]:
    return [[_value(person, attr) for _label, attr in COLUMNS] for person in persons]


def csv_response(persons: Iterable[Person], filename: str) -> HttpResponse:
    """CSV for a German Excel: UTF-8 with BOM, ``;`` as separator, CRLF rows; a field that
    starts like a formula gets a leading apostrophe (``dmk.core.spreadsheet``, OWASP)."""
    content = csv_bytes([label for label, _attr in COLUMNS], _rows(persons))
    return _attachment(content, "text/csv; charset=utf-8", filename)


def xlsx_response(persons: Iterable[Person], filename: str) -> HttpResponse:
    """An XLSX workbook with one sheet "Kontakte", a header row and one row per person; every
    cell a string cell, never a formula (``dmk.core.spreadsheet``)."""
    content = xlsx_bytes("Kontakte", [label for label, _attr in COLUMNS], _rows(persons))
    return _attachment(
        content,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename,
    )
