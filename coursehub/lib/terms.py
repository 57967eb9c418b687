"""Half-years (terms): spring "2026-VT" (January-June) and autumn "2026-HT" (July-December).

A term's bounds are local Stockholm midnights, given as UTC moments to compare stored times with:
a run belongs to the term its first session starts in.
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from coursehub.clock import local_to_utc, to_local

FIRST_YEAR, LAST_YEAR = 2000, 2999
_PATTERN = re.compile(r"([0-9]{4})-(VT|HT)")


class Half(enum.StrEnum):
    SPRING = "VT"  # vårtermin
    AUTUMN = "HT"  # hösttermin


@functools.total_ordering
@dataclass(frozen=True)
class Term:
    """One half-year; written "2026-HT" in addresses and forms."""

    year: int
    half: Half

    def __post_init__(self):
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ValueError(f"year out of range: {self.year}")
        object.__setattr__(self, "half", Half(self.half))

    def __str__(self) -> str:
        return f"{self.year}-{self.half}"

    def __lt__(self, other: Term) -> bool:
        # Spring before autumn, whatever the letters say.
        return (self.year, self.half == Half.AUTUMN) < (other.year, other.half == Half.AUTUMN)

    @property
    def starts_at(self) -> datetime:
        """Return the UTC moment of local midnight on the term's first day."""
        return local_to_utc(datetime(self.year, 1 if self.half == Half.SPRING else 7, 1))  # noqa: DTZ001

    @property
    def ends_at(self) -> datetime:
        """Return the UTC moment the term ends (the next term's start), exclusive."""
        return self.next().starts_at

    def next(self) -> Term:
        """Return the term after this one."""
        if self.half == Half.SPRING:
            return Term(self.year, Half.AUTUMN)
        return Term(self.year + 1, Half.SPRING)

    def previous(self) -> Term:
        """Return the term before this one."""
        if self.half == Half.AUTUMN:
            return Term(self.year, Half.SPRING)
        return Term(self.year - 1, Half.AUTUMN)

    def contains(self, moment: datetime) -> bool:
        """Return True when the aware `moment` falls in this term."""
        return self.starts_at <= moment < self.ends_at

    @property
    def label(self) -> str:
        """Return the term in words, as in running text: "hösten 2026"."""
        if self.half == Half.SPRING:
            return _("våren %(year)s", year=self.year)
        return _("hösten %(year)s", year=self.year)


def parse_term(text: str | None) -> Term | None:
    """Return the term written as "2026-HT" or "2026-VT", or None for anything else."""
    match = _PATTERN.fullmatch(text or "")
    if match is None or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        return None
    return Term(int(match[1]), Half(match[2]))


def term_of(moment: datetime) -> Term:
    """Return the term an aware moment falls in, by the local date in Stockholm."""
    local = to_local(moment)
    return Term(local.year, Half.SPRING if local.month <= 6 else Half.AUTUMN)


def terms_around(term: Term, *, years_before: int = 2, years_after: int = 1) -> list[Term]:
    """Return every term of the years around `term`'s year, oldest first, to choose from."""
    first = max(FIRST_YEAR, term.year - years_before)
    last = min(LAST_YEAR, term.year + years_after)
    return [Term(year, half) for year in range(first, last + 1) for half in Half]
