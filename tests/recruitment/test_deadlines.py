"""The first-contact deadline counts working days: no weekends, public holidays or closure weeks."""

from datetime import UTC, date, datetime

from coursehub.recruitment.deadlines import add_working_days, is_working_day
from coursehub.recruitment.services.registration import first_contact_due

CLOSURE = (28, 29, 30, 31, 52)


def test_ten_working_days_skip_weekends():
    # Monday 7 September 2026: two working weeks later is Monday the 21st.
    assert add_working_days(date(2026, 9, 7), 10, ()) == date(2026, 9, 21)


def test_easter_and_the_eves_are_days_off():
    assert not is_working_day(date(2026, 4, 3), ())  # Good Friday
    assert not is_working_day(date(2026, 4, 6), ())  # Easter Monday
    assert not is_working_day(date(2026, 5, 14), ())  # Ascension Day
    assert not is_working_day(date(2026, 6, 19), ())  # Midsummer Eve, a Friday
    assert not is_working_day(date(2026, 12, 24), ()) and not is_working_day(date(2026, 12, 31), ())
    # Thursday 2 April + 3 working days: Good Friday and Easter Monday do not count.
    assert add_working_days(date(2026, 4, 2), 3, ()) == date(2026, 4, 9)


def test_the_closure_weeks_do_not_count():
    # Friday 3 July 2026 is in week 27; weeks 28-31 are closed: the next working day is 3 August.
    assert add_working_days(date(2026, 7, 3), 1, CLOSURE) == date(2026, 8, 3)


def test_across_christmas_closure_and_new_year():
    # Thursday 17 December 2026: week 52 closed, Christmas and New Year's Eve, New Year, Epiphany.
    assert add_working_days(date(2026, 12, 17), 10, CLOSURE) == date(2027, 1, 12)


def test_a_registration_takes_the_days_from_the_settings(app):
    app.config["COURSEHUB_RECRUITMENT_FIRST_CONTACT_DAYS"] = 2
    app.config["COURSEHUB_CLOSURE_WEEKS"] = ()
    # Friday 18 December 2026, 23:30 in Stockholm is already the 19th, a Saturday.
    assert first_contact_due(datetime(2026, 12, 18, 22, 30, tzinfo=UTC)) == date(2026, 12, 22)
