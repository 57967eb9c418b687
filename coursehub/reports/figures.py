"""The shapes a report is made of: sections of figures, each a table of rows over a series of periods."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from flask_babel import gettext as _

from coursehub.accounts.models import Gender
from coursehub.reports.periods import Period
from coursehub.reports.scope import Scope


class HiddenType(enum.Enum):
    """The type of HIDDEN (an enum member, so that type checkers know it is the only one)."""

    HIDDEN = "hidden"

    def __str__(self) -> str:
        return HIDDEN_MARK


# A value kept back by the anonymity threshold: shown as HIDDEN_MARK, with a note saying why.
HIDDEN = HiddenType.HIDDEN
HIDDEN_MARK = "–"

Value = int | float | None | HiddenType
Unit = Literal["count", "share", "days"]


@dataclass(frozen=True)
class Row:
    """One line of a figure's table: a label and one value per period (None: nothing to count)."""

    label: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Figure:
    """One figure of a report.

    `definition` is one plain sentence saying exactly what is counted; the first row is the figure
    itself, further rows its split (per channel, per municipality, per gender).
    """

    key: str
    title: str
    definition: str
    unit: Unit
    rows: tuple[Row, ...]
    note: str = ""


@dataclass(frozen=True)
class Section:
    """A part of the report (recruitment, courses, satisfaction, networks) and its figures."""

    key: str
    title: str
    figures: tuple[Figure, ...]


# Builds one section for a scope over a series of periods at `now`, in a fixed number of queries
# whatever the data size and the number of periods.
SectionBuilder = Callable[[Scope, Sequence[Period], datetime], Section]


def gender_rows() -> tuple[tuple[Gender | None, str], ...]:
    """The split by gender, in report order: each stored value (None: not stated) and its row label."""
    return (
        (Gender.WOMAN, _("kvinna")),
        (Gender.MAN, _("man")),
        (Gender.ANOTHER, _("annat")),
        (None, _("ej angivet")),
    )
