"""attendance.views.sheet_rows: the sheet's people written in Python are the HTML the template
wrote for them, on every kind of row, escaped the same way."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markupsafe import Markup

from coursehub.attendance.forms import status_labels
from coursehub.attendance.models import AttendanceStatus
from coursehub.attendance.queries import (
    Needs,
    SheetFamily,
    SheetHousehold,
    SheetMark,
    SheetNotice,
    SheetPerson,
    SheetRow,
)
from coursehub.attendance.views.sheet_rows import PersonRows

# The template's own loop over a group's people, as sheet.html wrote it before `PersonRows`.
TEMPLATE_ROWS = (Path(__file__).parent / "data" / "sheet_rows_template.html").read_text(encoding="utf-8")

TEXTS = {
    "makeup": "Tar igen en missad träff",
    "marked": "Markerat:",
    "prefilled": "Anmäld frånvaro (förifyllt, inte sparat)",
    "not_marked": "inte markerat ännu",
    "remark": "Anteckning:",
    "notice": "Har anmält frånvaro i förväg",
    "diet": "Kost:",
    "accessibility": "Tillgänglighet:",
    "interpreter": "Tolk & <språk>:",  # a word with characters to escape
}
REPORTED = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)


def _rows() -> list[SheetRow]:
    odd = 'Åsa "Lill-Å" <Öberg> & Co'
    return [
        SheetRow(SheetPerson(1, "Anna Andersson"), False),
        SheetRow(SheetPerson(2, odd), True, SheetMark(AttendanceStatus.PRESENT, "")),
        SheetRow(SheetPerson(3, "Bo Berg"), False, SheetMark(AttendanceStatus.ABSENT, "Sjuk <3 & trött")),
        SheetRow(SheetPerson(4, "Cia Ek"), False, None, SheetNotice(REPORTED, "")),
        SheetRow(SheetPerson(5, "Dan Falk"), False, None, SheetNotice(REPORTED, 'Resa "hem"')),
        SheetRow(
            SheetPerson(6, "Eva Gran"),
            True,
            SheetMark(AttendanceStatus.EXCUSED, "x"),
            SheetNotice(REPORTED, "Jobb"),
            Needs(diet="Glutenfri & laktosfri", accessibility="Rullstol", interpreter="arabiska"),
        ),
        SheetRow(SheetPerson(7, "Fia Holm"), False, needs=Needs(interpreter="<tigrinja>")),
        SheetRow(SheetPerson(8, "Gun Ivarsson"), False, needs=Needs(accessibility="Hörslinga")),
    ]


def _normal(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).strip()


def _texts(env) -> dict:
    """The sheet's words as sheet.html hands them over: escaped, and the two labels with a name
    cut around it as sheet.html cuts them (Markup from `_` there)."""
    cut = env.from_string(
        '{% set n = "%(name)s" %}'
        '{% set about = _("Anteckning om %(name)s (frivilligt)", name=n).partition(n) %}'
        '{% set of = _("Närvaro för %(name)s", name=n).partition(n) %}'
    ).module
    texts = {key: Markup.escape(value) for key, value in TEXTS.items()}
    texts["remark_about"], texts["attendance_of"] = cut.about, cut.of
    return texts


@pytest.mark.parametrize("is_open", [True, False])
@pytest.mark.parametrize("error_user_id", [None, 3])
def test_the_people_are_written_as_the_template_wrote_them(app, is_open, error_user_id):
    with app.test_request_context("/"):
        env = app.jinja_env
        texts = _texts(env)
        labels = status_labels()
        shared = {
            "is_open": is_open,
            "mark_url": "/traffar/9/narvaro?sok=a&b",
            "csrf": 'token"&<',
            "error_user_id": error_user_id,
            "error": "Välj <en> status.",
        }
        expected = env.from_string(TEMPLATE_ROWS).render(
            rows=_rows(),
            status_labels=labels,
            buttons=list(labels.items()),
            **{f"t_{key}": value for key, value in texts.items()},
            **shared,
        )
        written = PersonRows(texts, labels, **shared)(_rows())
    assert _normal(written) == _normal(expected)
    # The checks the comparison rests on: the odd name escaped, and the rows' parts there.
    assert "&lt;Öberg&gt; &amp; Co" in written and "<Öberg>" not in written
    assert written.count('class="attendance-person"') == len(_rows())
    assert ('aria-pressed="true"' in written) is is_open
    assert ('id="error-3"' in written) is (error_user_id == 3)


# The template's own loop over the groups, as sheet.html wrote it before `PersonRows.groups`.
TEMPLATE_GROUPS = (Path(__file__).parent / "data" / "sheet_groups_template.html").read_text(encoding="utf-8")


def _groups() -> list[SheetHousehold]:
    rows = _rows()
    marked = [row for row in rows if row.mark is not None]
    return [
        SheetHousehold(SheetFamily(11, 'Familjen "Ek" & <Berg>'), rows[:4]),  # someone unmarked
        SheetHousehold(SheetFamily(12, "Familjen Falk"), marked),  # all marked: no form
        SheetHousehold(None, rows[6:7], professional=SheetPerson(7, "Fia <Holm>")),
    ]


@pytest.mark.parametrize("is_open", [True, False])
def test_the_groups_are_written_as_the_template_wrote_them(app, is_open):
    with app.test_request_context("/"):
        env = app.jinja_env
        texts = _texts(env)
        texts["all_present"] = Markup.escape("Alla närvarande & <klara>")
        texts["professional"] = Markup.escape("yrkesverksam")
        labels = status_labels()
        shared = {"is_open": is_open, "mark_url": "/traffar/9/narvaro", "csrf": 'token"&<'}
        people = PersonRows(texts, labels, all_url="/traffar/9/alla?sok=a&b", **shared)
        expected = env.from_string(TEMPLATE_GROUPS).render(
            households=_groups(),
            people=people,
            all_url="/traffar/9/alla?sok=a&b",
            t_all_present=texts["all_present"],
            **shared,
        )
        written = people.groups(_groups())
    assert _normal(written) == _normal(expected)
    # The checks the comparison rests on: the names escaped, and the forms where they belong.
    assert "Familjen &#34;Ek&#34; &amp; &lt;Berg&gt;" in written
    assert "<Berg>" not in written and "<Holm>" not in written
    assert written.count('class="attendance-household"') == 3
    assert written.count('name="household_id"') == (1 if is_open else 0)
    assert written.count('class="attendance-person"') == 4 + 3 + 1
    assert "badge text-bg-light border" in written
