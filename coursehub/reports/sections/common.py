"""What the sections share: periods as spans to count in, gender rows, shares."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from coursehub.lib.spans import Span
from coursehub.reports.figures import Row, gender_rows
from coursehub.reports.periods import Period


def spans(periods: Sequence[Period]) -> list[Span]:
    """Return the periods as spans of stored time (local midnights, as the areas store moments)."""
    return [Span(period.key, period.starts_at(), period.ends_before()) for period in periods]


def share(part: int, whole: int) -> float | None:
    """Return part of whole (0..1), or None when there is nothing to count."""
    return part / whole if whole else None


def gender_split(periods: Sequence[Period], counts: Iterable[tuple[str, str | None, int]]) -> tuple[Row, ...]:
    """Return one row per gender from (period key, gender, count) triples, zeros where none."""
    found: dict[tuple[str, str | None], int] = {}
    for key, gender, n in counts:
        found[(key, gender)] = found.get((key, gender), 0) + n
    return tuple(
        Row(label, tuple(found.get((period.key, gender), 0) for period in periods))
        for gender, label in gender_rows()
    )
