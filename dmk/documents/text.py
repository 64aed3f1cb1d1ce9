"""German word rules of the search (issue 13 item 2, issue 18 item 8).

One function turns any text — a file's text when it is indexed, a typed query when it is
searched — into the same *terms*, so both sides always agree, on SQLite and PostgreSQL:

1. Unicode NFC (STYLE.md), then ``str.casefold`` (which also turns "ß" into "ss");
2. umlauts folded the German way: ä→ae, ö→oe, ü→ue (so "Überblick" and "Ueberblick",
   "Straße" and "Strasse" become the same word);
3. split into words at every character that is neither a letter nor a digit (whole words:
   "AI" is a word of its own and never a part of "Mainz");
4. each word reduced to its stem by the Snowball German stemmer (``snowballstemmer``,
   https://snowballstem.org/algorithms/german/stemmer.html): "Beschlüsse" and "Beschluss"
   share the stem "beschluss".

Nothing of the input survives as query syntax: terms contain only lower-case letters and
digits.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import snowballstemmer

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
#: Words longer than this are not words (hashes, base64): they are dropped.
MAX_WORD_LENGTH = 60
#: Query terms shorter than this are matched as whole words only, never as a prefix
#: ("AI" must not find "Aiwanger"); see :func:`query_terms`.
MIN_PREFIX_LENGTH = 4

#: Every index row ends with this term; a query without a prefix term ends with it too, so
#: the backend's prefix rule (last term only) never turns a short word into a prefix.
END_TERM = "zzendezz"

_stemmer = snowballstemmer.stemmer("german")


def fold(text: str) -> str:
    """``text`` in NFC, case-folded, umlauts written ae/oe/ue and ß as ss."""
    return unicodedata.normalize("NFC", text).casefold().translate(_FOLD)


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball German stem of one folded word (cached: texts repeat their words)."""
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """The folded words of ``text`` in order (letters and digits only, at most
    :data:`MAX_WORD_LENGTH` characters each)."""
    return [w for w in _WORD.findall(fold(text)) if len(w) <= MAX_WORD_LENGTH]


def terms(text: str) -> list[str]:
    """The stemmed words of ``text`` in order — what is indexed and what is searched."""
    return [stem(w) for w in words(text)]


def query_terms(query: str, *, limit: int = 12) -> list[str]:
    """The distinct terms of a typed query, in order, at most ``limit`` of them (a longer
    query is cut: more words only narrow the result)."""
    seen: dict[str, None] = {}
    for term in terms(query):
        seen.setdefault(term, None)
    return list(seen)[:limit]
