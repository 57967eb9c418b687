"""Swedish stemming for the forum's SQLite search index (the Snowball Swedish algorithm).

SQLite's FTS5 has no Swedish stemmer, so the forum stores a stemmed copy of each text and stems
the searcher's words the same way; PostgreSQL stems with its own 'swedish' configuration, which
follows the same published algorithm. Written here from the algorithm's description (about fifty
lines) rather than adding a package for it.
"""

from __future__ import annotations

import re
import unicodedata

_VOWELS = frozenset("aeiouyäåö")
_S_ENDINGS = frozenset("bcdfghjklmnoprtvy")
_STEP1 = sorted(
    [
        "a",
        "arna",
        "erna",
        "heterna",
        "orna",
        "ad",
        "e",
        "ade",
        "ande",
        "arne",
        "are",
        "aste",
        "en",
        "anden",
        "aren",
        "heten",
        "ern",
        "ar",
        "er",
        "heter",
        "or",
        "as",
        "arnas",
        "ernas",
        "ornas",
        "es",
        "ades",
        "andes",
        "ens",
        "arens",
        "hetens",
        "erns",
        "at",
        "andet",
        "het",
        "ast",
    ],
    key=len,
    reverse=True,
)
_STEP2 = ("dd", "gd", "nn", "dt", "gt", "kt", "tt")
_STEP3 = (("fullt", "full"), ("löst", "lös"), ("lig", ""), ("els", ""), ("ig", ""))
_WORD = re.compile(r"\w+", re.UNICODE)


def _r1(word: str) -> int:
    """Return where region R1 begins: after the first non-vowel that follows a vowel, at least 3."""
    for i in range(1, len(word)):
        if word[i] not in _VOWELS and word[i - 1] in _VOWELS:
            return max(i + 1, 3)
    return len(word)


def stem(word: str) -> str:
    """Return the Swedish stem of one lower-case word."""
    r1 = _r1(word)
    for suffix in _STEP1:
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            word = word[: -len(suffix)]
            break
    else:
        if word.endswith("s") and len(word) - 1 >= r1 and len(word) > 1 and word[-2] in _S_ENDINGS:
            word = word[:-1]
    if any(word.endswith(pair) and len(word) - 2 >= r1 for pair in _STEP2):
        word = word[:-1]
    for suffix, replacement in _STEP3:
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            word = word[: -len(suffix)] + replacement
            break
    return word


def words(text: str) -> list[str]:
    """Return the words of `text`, NFC-normalised and lower-cased, in order."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def stem_text(text: str) -> str:
    """Return `text` as its stems separated by spaces (what the SQLite index holds)."""
    return " ".join(stem(word) for word in words(text))
