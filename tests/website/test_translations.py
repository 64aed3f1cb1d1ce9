"""The English translation is complete: no empty and no fuzzy entry (issue 7 item 4).

Whoever adds a German UI string runs ``make messages`` and translates it; this test fails
until they do — the honest rule for a bilingual site.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

PO_FILE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$')


def _entries(text: str) -> list[dict[str, str]]:
    """Entries of a .po file as {"flags": "...", "msgid": ..., "msgstr": ...}; obsolete
    (``#~``) entries are skipped."""
    entries = []
    for block in text.split("\n\n"):
        entry: dict[str, str] = {"flags": ""}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line[2:]
            elif line.startswith("#"):
                continue
            elif match := FIELD.match(line):
                key = match.group(1)
                entry[key] = match.group(2)
            elif line.startswith('"') and key:
                entry[key] += line[1:-1]
        if "msgid" in entry:
            entries.append(entry)
    return entries


def test_english_po_file_has_no_fuzzy_entries():
    fuzzy = [e["msgid"] for e in _entries(PO_FILE.read_text("utf-8")) if "fuzzy" in e["flags"]]
    assert fuzzy == []


def test_english_po_file_translates_every_message():
    untranslated = [
        e["msgid"]
        for e in _entries(PO_FILE.read_text("utf-8"))
        if e["msgid"] and any(e.get(k, "") == "" for k in e if k.startswith("msgstr"))
    ]
    assert untranslated == []


def test_parser_sees_the_whole_catalogue():
    entries = _entries(PO_FILE.read_text("utf-8"))
    assert len(entries) > 600
    assert {"msgid": "Zum Inhalt springen", "msgstr": "Skip to content", "flags": ""} in entries
