"""Text helpers for German data (STYLE.md "German data, German users")."""

from __future__ import annotations

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
