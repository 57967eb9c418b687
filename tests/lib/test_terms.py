"""Half-years: parsing, the current term, bounds in UTC from local dates, the terms around, labels."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_babel import force_locale

from coursehub.lib.terms import Half, Term, parse_term, term_of, terms_around


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-HT", Term(2026, Half.AUTUMN)),
        ("2026-VT", Term(2026, Half.SPRING)),
        ("2000-VT", Term(2000, Half.SPRING)),
        ("2999-HT", Term(2999, Half.AUTUMN)),
    ],
)
def test_a_term_is_read_from_its_written_form_and_written_back(text, expected):
    assert parse_term(text) == expected
    assert str(expected) == text


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "2026",
        "2026-ht",
        "2026-XT",
        "2026HT",
        " 2026-HT",
        "2026-HT ",
        "0000-VT",
        "9999-HT",
        "1999-HT",
        "3000-VT",
        "２０２６-HT",
        "2026-HT\n",
        "+202-HT",
    ],
)
def test_anything_else_is_no_term(text):
    assert parse_term(text) is None


def test_a_term_outside_the_years_cannot_be_made():
    with pytest.raises(ValueError):
        Term(1999, Half.AUTUMN)


def test_bounds_are_local_midnights_in_utc():
    spring, autumn = Term(2026, Half.SPRING), Term(2026, Half.AUTUMN)
    assert spring.starts_at == datetime(2025, 12, 31, 23, tzinfo=UTC)  # CET, +01:00
    assert spring.ends_at == autumn.starts_at == datetime(2026, 6, 30, 22, tzinfo=UTC)  # CEST
    assert autumn.ends_at == datetime(2026, 12, 31, 23, tzinfo=UTC)
    assert autumn.contains(datetime(2026, 6, 30, 22, tzinfo=UTC))
    assert not autumn.contains(datetime(2026, 6, 30, 21, 59, tzinfo=UTC))


def test_the_current_term_follows_the_local_date():
    assert term_of(datetime(2026, 6, 30, 21, 59, tzinfo=UTC)) == Term(2026, Half.SPRING)
    assert term_of(datetime(2026, 6, 30, 22, 0, tzinfo=UTC)) == Term(2026, Half.AUTUMN)  # 1 July
    assert term_of(datetime(2026, 12, 31, 23, 0, tzinfo=UTC)) == Term(2027, Half.SPRING)


def test_next_and_previous_cross_the_year():
    assert Term(2026, Half.AUTUMN).next() == Term(2027, Half.SPRING)
    assert Term(2027, Half.SPRING).previous() == Term(2026, Half.AUTUMN)
    assert Term(2026, Half.SPRING) < Term(2026, Half.AUTUMN) < Term(2027, Half.SPRING)
    assert sorted([Term(2027, Half.SPRING), Term(2026, Half.AUTUMN), Term(2026, Half.SPRING)]) == [
        Term(2026, Half.SPRING),
        Term(2026, Half.AUTUMN),
        Term(2027, Half.SPRING),
    ]


def test_the_terms_around_are_two_years_back_and_one_ahead_within_the_years():
    assert [str(t) for t in terms_around(Term(2026, Half.AUTUMN))] == [
        "2024-VT",
        "2024-HT",
        "2025-VT",
        "2025-HT",
        "2026-VT",
        "2026-HT",
        "2027-VT",
        "2027-HT",
    ]
    assert [str(t) for t in terms_around(Term(2000, Half.SPRING))] == [
        "2000-VT",
        "2000-HT",
        "2001-VT",
        "2001-HT",
    ]


def test_labels_in_running_text(app):
    with app.test_request_context(), force_locale("sv"):
        assert Term(2026, Half.AUTUMN).label == "hösten 2026"
        assert Term(2027, Half.SPRING).label == "våren 2027"
