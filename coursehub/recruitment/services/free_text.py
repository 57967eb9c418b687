"""What in a municipality's free text looks like it names a child: identity numbers and names.

A request for a family is sent without the child's name or identity number. People slip all the
same, so the text is read before it is saved: an identity number (python-stdnum checks the date
and the check digit, so a telephone number does not count) or a word that looks like a name is
shown back, and the worker must confirm before the request goes. This is a warning, never proof:
the heuristic for names finds capitalised words that do not begin a sentence (Swedish capitalises
little else), so a place name is pointed out too unless it is one of the `known_words`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from stdnum.se import personnummer

# Ten or twelve digits, a separator (-, + or a space) allowed before the last four.
_NUMBER = re.compile(r"(?<![0-9])(?:[0-9]{2})?[0-9]{6}[-+ ]?[0-9]{4}(?![0-9])")
# A word: letters of any script (no digits, no underscore), hyphens inside allowed.
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Where a sentence (or a line, or a list item) begins again.
_SENTENCE_END = re.compile(r"[.!?:;\n\r•]+")


@dataclass(frozen=True)
class Findings:
    """What looks identifying in a text: identity numbers as typed, and name-like words."""

    identity_numbers: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.identity_numbers or self.names)


def _identity_numbers(text: str) -> list[str]:
    found = []
    for match in _NUMBER.finditer(text):
        typed = match.group(0)
        if personnummer.is_valid(typed.replace(" ", "")):
            found.append(typed)
    return found


def _looks_like_name(word: str) -> bool:
    # "Anna", "Karl-Erik", "Łukasz": a capital and then small letters. "BBIC" or "ADHD" is no name.
    return len(word) > 1 and word[0].isupper() and word[1:].replace("-", "").islower()


def _names(text: str, known: set[str]) -> list[str]:
    found: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        words = _WORD.findall(sentence)
        for word in words[1:]:  # the first word of a sentence is capitalised anyway
            if _looks_like_name(word) and word.casefold() not in known and word not in found:
                found.append(word)
    return found


def find_identifying(text: str | None, *, known_words: Iterable[str] = ()) -> Findings:
    """Return the identity numbers and name-like words in `text` (nothing found: a false value)."""
    text = text or ""
    known = {word.casefold() for word in known_words}
    return Findings(tuple(_identity_numbers(text)), tuple(_names(text, known)))
