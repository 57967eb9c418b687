"""Swedish stemming for the forum's SQLite search index.

SQLite's FTS5 has no Swedish stemmer, so the forum stores a stemmed copy of each text and stems
the searcher's words the same way. The stems come from snowballstemmer, the Snowball project's own
Python build of the Swedish algorithm; PostgreSQL's 'swedish' text-search configuration uses the same
algorithm, so both databases find the same words.
"""

from __future__ import annotations

import re
import unicodedata

import snowballstemmer

_WORD = re.compile(r"\w+", re.UNICODE)


def _stemmer() -> snowballstemmer.stemmer:
    # A stemmer keeps its working word between calls, so each call takes its own (cheap to make).
    return snowballstemmer.stemmer("swedish")


def stem(word: str) -> str:
    """Return the Swedish stem of one lower-case word."""
    return str(_stemmer().stemWord(word))


def words(text: str) -> list[str]:
    """Return the words of `text`, NFC-normalised and lower-cased, in order."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def stem_text(text: str) -> str:
    """Return `text` as its stems separated by spaces (what the SQLite index holds)."""
    return " ".join(str(s) for s in _stemmer().stemWords(words(text)))
