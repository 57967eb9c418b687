"""attendance.views.progress_rows: the progress pages' rows written in Python are the HTML the
macros wrote for them, on every kind of row, escaped the same way."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import url_for
from flask_babel import force_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from coursehub.attendance.forms import status_labels
from coursehub.attendance.models import AttendanceStatus
from coursehub.attendance.queries import UpcomingSession
from coursehub.attendance.views.progress_rows import ProgressRows

# person_progress and makeup_offers as templates/attendance/_macros.html held them, and the coming
# sessions' loop of my_progress.html, before `ProgressRows`.
TEMPLATE = (Path(__file__).parent / "data" / "progress_rows_template.html").read_text(encoding="utf-8")

ODD = 'Åsa "Lill-Å" <Öberg> & Co'
HELD = datetime(2026, 3, 14, 17, 30, tzinfo=UTC)
COMING = datetime(2027, 2, 2, 16, 0, tzinfo=UTC)


def _mark(status: AttendanceStatus, run_title: str = "Hösten 2026 <Kvällsgrupp>") -> SimpleNamespace:
    return SimpleNamespace(status=status, run_title=run_title, starts_at=HELD)


def _theme(title: str, attended=None, latest=None) -> SimpleNamespace:
    return SimpleNamespace(theme=SimpleNamespace(title=title), attended=attended, latest=latest)


def _course(name: str, themes: list, **fields) -> SimpleNamespace:
    values = {
        "course_type": SimpleNamespace(name=name, allowed_absences=0),
        "themes": themes,
        "attended_count": sum(1 for row in themes if row.attended),
        "needed": len(themes),
        "completion": None,
        "completed_at": None,
        "certificates": [],
    }
    return SimpleNamespace(**(values | fields))


def _courses() -> list[SimpleNamespace]:
    themes = [
        _theme("Att knyta an", attended=_mark(AttendanceStatus.PRESENT)),
        _theme('Barnets "nätverk" & <skolan>', latest=_mark(AttendanceStatus.ABSENT, ODD)),
        _theme("Sorg och förlust", latest=_mark(AttendanceStatus.EXCUSED)),
        _theme("Föräldraskap"),
    ]
    valid = SimpleNamespace(id=41, code="AB12-CD34", is_valid=True)
    revoked = SimpleNamespace(id=42, code="ZZ<99>", is_valid=False)
    return [
        _course("Ett hem att växa i", themes, course_type=SimpleNamespace(name=ODD, allowed_absences=1)),
        _course("Kvällskurs", themes[:1], completed_at=HELD, certificates=[valid]),
        _course(
            "Fördjupning",
            themes[:2],
            completion=SimpleNamespace(completed_at=HELD),
            certificates=[revoked, valid],
        ),
        _course("En träff", themes[3:], course_type=SimpleNamespace(name="En träff", allowed_absences=2)),
    ]


def _option(ident: int, seats: int, place: str = "", online: bool = False) -> SimpleNamespace:
    session = SimpleNamespace(
        id=ident,
        title=f"Träff {ident} <{ident}>",
        starts_at=COMING,
        ends_at=COMING.replace(hour=18),
        run=SimpleNamespace(title=f"Våren 2027 & {ident}"),
    )
    return SimpleNamespace(session=session, seats_left=seats, place=place, is_online=online)


def _makeup() -> list[SimpleNamespace]:
    return [
        SimpleNamespace(
            course_type_name=ODD,
            theme_title="Sorg & förlust",
            options=[_option(7, 3, place='Stadshuset, "Sal B"'), _option(8, 0, online=True), _option(9, 1)],
        ),
        SimpleNamespace(course_type_name="Kvällskurs", theme_title="Tema 2", options=[_option(10, 0)]),
    ]


def _upcoming() -> list[UpcomingSession]:
    return [
        UpcomingSession(5, "Träff 1 <start>", COMING, ODD, 31, "Anna Andersson", None, None, None),
        UpcomingSession(6, "Träff 2", COMING, "Våren 2027", 32, ODD, 77, HELD, 'Resa "hem" & <mer>'),
        UpcomingSession(6, "Träff 2", COMING, "Våren 2027", 31, "Anna Andersson", 78, HELD, ""),
    ]


def _normal(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).strip()


@pytest.mark.parametrize("locale", ["sv", "en"])
@pytest.mark.parametrize(
    ("level", "show_downloads", "person", "page"),
    [(3, True, ODD, None), (3, False, "Bo Berg", None), (4, False, None, 2)],
)
def test_the_rows_are_written_as_the_macros_wrote_them(app, locale, level, show_downloads, person, page):
    adult = SimpleNamespace(id=31, full_name=ODD)
    with app.test_request_context("/"), force_locale(locale):
        macros = app.jinja_env.from_string(TEMPLATE).module
        labels = status_labels()
        download = url_for("attendance.certificate_pdf", certificate_id=41)
        rows = ProgressRows(
            labels, csrf=generate_csrf(), makeup_action="/framsteg/ta-igen?a=1&b=2", page=page
        )
        cases = [
            (
                rows.progress(_courses(), level=level, show_downloads=show_downloads, person=person),
                macros.person_progress(_courses(), labels, level, show_downloads, person),
            ),
            (rows.progress([], level=level), macros.person_progress([], labels, level)),
            (
                rows.makeup(adult, _makeup(), level=level),
                macros.makeup_offers(adult, _makeup(), "/framsteg/ta-igen?a=1&b=2", level, page),
            ),
            (rows.makeup(adult, [], level=level), macros.makeup_offers(adult, [], "/", level, page)),
            (rows.upcoming(_upcoming()), macros.upcoming_rows(_upcoming())),
        ]
    for written, expected in cases:
        assert _normal(written) == _normal(expected)
    progress, _none, makeup, no_makeup, upcoming = (str(written) for written, _expected in cases)
    # The checks the comparison rests on: odd names escaped, and every kind of row there.
    assert "<Öberg>" not in progress + makeup + upcoming
    assert progress.count("&lt;Öberg&gt; &amp; Co") >= 2 and "&lt;Kvällsgrupp&gt;" in progress
    assert progress.count('<th scope="row">') == 4 + 1 + 2 + 1
    assert progress.count("<del>") == 1 and progress.count("AB12-CD34") == 2 and "ZZ&lt;99&gt;" in progress
    assert (f'href="{download}"' in progress) is show_downloads
    assert makeup.count("<form ") == 2 and no_makeup == ""
    assert (f'name="page" value="{page}"' in makeup) is (page is not None)
    assert upcoming.count('name="reason"') == 1 and upcoming.count("<form ") == 3


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_the_words_hold_nothing_that_escaping_changes(app, locale):
    # The rows fill these words in with `%` and escape the whole, where `_()` in the macros escaped
    # only what was filled in: the same text only while this holds.
    with app.test_request_context("/"), force_locale(locale):
        rows = ProgressRows(status_labels(), csrf="", makeup_action="/")
        texts = list(rows.words.values())
        for n in (1, 2, 8):
            texts.append(
                rows.ngettext("Högst %(num)d tema får missas.", "Högst %(num)d teman får missas.", n)
            )
            texts.append(rows._not_done(_course("Kurs", [_theme("T")] * n)))
    for text in texts:
        assert str(escape(text)) == text, text
    if locale == "en":
        assert rows.words["present"] != "Närvarande"
