"""Text helpers for German data (STYLE.md "German data, German users")."""

from __future__ import annotations

import re
import unicodedata

from django.utils.text import slugify

_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


def german_slug(text: str, max_length: int = 100) -> str:
    """An ASCII slug that spells umlauts the German way: "Gründung" → "gruendung".

    The result is at most ``max_length`` characters and never ends in a hyphen.
    """
    normalised = unicodedata.normalize("NFC", text).translate(_TRANSLITERATION)
    return slugify(normalised)[:max_length].rstrip("-")


# --- DIN 5007-1 order (issue 18 item 3) ---------------------------------------------------------

_DIN_PRIMARY = str.maketrans({"ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l"})


def _din_primary(text: str) -> str:
    letters = []
    for char in unicodedata.normalize("NFKD", text.casefold().translate(_DIN_PRIMARY)):
        if "a" <= char <= "z":
            letters.append(char)
        elif "0" <= char <= "9":
            letters.append("1" + char)  # digits after the separator "0", before letters
    return "".join(letters)


def _din_levels(text: str) -> tuple[str, str]:
    """Per letter of ``text``: accent class (``a`` plain, ``b`` accented) and case class
    (``a`` lower, ``b`` upper)."""
    accents, cases = [], []
    for char in unicodedata.normalize("NFC", text):
        if not char.isalnum():
            continue
        accented = unicodedata.normalize("NFKD", char) != char or char in "ßẞ"
        accents.append("b" if accented else "a")
        cases.append("b" if char.isupper() else "a")
    return "".join(accents), "".join(cases)


def din5007_key(*parts: str, max_length: int = 255) -> str:
    """A sort key that orders names as DIN 5007-1 ("Wörterbuch") does, comparable as a plain
    string in Python, SQLite and PostgreSQL alike.

    Primary level: case-insensitive, umlauts as their base letter (ä→a, ö→o, ü→u), ß→ss,
    other accents dropped (é→e), spaces, hyphens and punctuation ignored; ``parts`` (e.g.
    family name, given name) compared one after the other. Tie-breaks: first the unaccented
    before the accented letter ("Bar" < "Bär"), then lower before upper case ("bar" < "Bar").

    The key holds only ``0-9`` and ``a-z`` — ``0`` separates parts and levels, a digit ``d``
    of a name becomes ``1d`` — so any database collation (C, ICU or glibc) compares it like
    Python does and SQL ``ORDER BY`` plus pagination agree on both databases. Example:
    Bächle, Bader, Baer, Bär, Bogenschütz, Böttcher, Özdemir, Zeller. At most ``max_length``
    characters (longer keys are cut; the cut only matters for names equal in the first ~120
    letters). Letters outside the Latin script do not sort by the key; callers tie-break by
    primary key.
    """
    primary = "0".join(_din_primary(part) for part in parts)
    levels = [_din_levels(part) for part in parts]
    secondary = "0".join(accents for accents, _cases in levels)
    tertiary = "0".join(cases for _accents, cases in levels)
    return f"{primary}00{secondary}00{tertiary}"[:max_length]


# --- Unicode NFC at the boundary (issue 18 item 2) ----------------------------------------------


def nfc(text: str) -> str:
    """``text`` in Unicode Normalization Form C ("Mu\\u0308ller" → "Müller"; UAX #15).
    Cheap for text that already is NFC (the usual case)."""
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


#: Longest search input looked at, in characters; the rest is ignored (issue 11, defect 4).
SEARCH_MAX_LENGTH = 200
#: At most this many words of a search input are searched for.
SEARCH_MAX_WORDS = 20


def search_words(raw: str) -> list[str]:
    """The words of a search input, as plain data for any search engine (issue 11, defect 4).

    Search input is data, never query syntax: quotes, brackets, ``*``, ``:``, ``-``,
    operators' punctuation, control characters (NUL) and every other non-word character
    separate words and are dropped; what is left are runs of Unicode letters and digits
    (``\\w``, NFC-normalised), from the first ``SEARCH_MAX_LENGTH`` characters, at most
    ``SEARCH_MAX_WORDS`` of them. Words like ``AND`` or ``NEAR`` stay words: every engine the
    platform uses receives them as terms of its own query objects, never as syntax.
    Example: ``'a"b NEAR( *'`` → ``["a", "b", "NEAR"]``; ``'">'`` → ``[]``.
    """
    text = unicodedata.normalize("NFC", raw or "")[:SEARCH_MAX_LENGTH]
    return re.findall(r"[^\W_]+", text)[:SEARCH_MAX_WORDS]
