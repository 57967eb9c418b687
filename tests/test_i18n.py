"""The English interface: the language button, and a complete, consistent English catalogue.

The msgids are the Swedish texts. A new Swedish string without an English translation fails
`test_every_string_in_the_code_has_an_english_translation`, which lists the missing ones; the
commands to update the catalogue are at the top of translations/en/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale, format_date, format_datetime, gettext, ngettext, to_user_timezone

from coursehub import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "translations"
PO_FILE = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO_FILE = PO_FILE.with_suffix(".mo")
# The same keywords as the documented extraction command (babel.cfg holds the file patterns).
EXTRACT_OPTIONS = ["-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--no-location"]
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%[sdif]|\{[A-Za-z_]\w*\}")


def _read_catalogue():
    with PO_FILE.open("rb") as f:
        return read_po(f, locale="en")


def _messages():
    """Every message of the English catalogue except the header."""
    return [message for message in _read_catalogue() if message.id]


def _key(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _is_translated(message) -> bool:
    return all(s and s.strip() for s in _strings(message))


@pytest.fixture(scope="session")
def compiled_catalogue() -> Path:
    """Compile the .mo the app reads, unless an up-to-date one is there (`make test` compiles it)."""
    if not MO_FILE.exists() or MO_FILE.stat().st_mtime < PO_FILE.stat().st_mtime:
        partial = MO_FILE.with_name(f"{MO_FILE.name}.{os.getpid()}.tmp")
        with partial.open("wb") as f:
            write_mo(f, _read_catalogue())
        partial.replace(MO_FILE)
    return MO_FILE


def _switch(client, locale: str) -> str:
    response = client.post("/sprak", data={"locale": locale, "next": "/"}, follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path == "/"
    return response.get_data(as_text=True)


def test_the_language_button_switches_the_start_page_to_english_and_back(app, client, compiled_catalogue):
    start = client.get("/").get_data(as_text=True)
    assert '<html lang="sv">' in start
    assert ">In English</button>" in start

    english = _switch(client, "en")
    assert '<html lang="en">' in english
    assert "Welcome to the foster-family resource" in english, (
        "the start page is not translated: Flask-Babel found no English catalogue in "
        f"{app.extensions['babel'].translation_directories} (the catalogue is {MO_FILE})"
    )
    assert "Välkommen till familjehemsresursen" not in english
    assert ">Courses</a>" in english  # a menu label, translated lazily
    assert "Skip to content" in english
    assert ">På svenska</button>" in english
    assert ">In English</button>" not in english
    # The choice is kept in the session for the next page.
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)

    swedish = _switch(client, "sv")
    assert '<html lang="sv">' in swedish
    assert "Välkommen till familjehemsresursen" in swedish
    assert "Welcome to the foster-family resource" not in swedish
    assert ">In English</button>" in swedish
    assert ">På svenska</button>" not in swedish


def test_plural_forms_work_in_english(app, compiled_catalogue):
    with app.test_request_context(), force_locale("en"):
        assert ngettext("%(num)d kurs hittades.", "%(num)d kurser hittades.", 1) == "1 course found."
        assert ngettext("%(num)d kurs hittades.", "%(num)d kurser hittades.", 3) == "3 courses found."
        assert gettext("Kursomgång") == "Course run"


def test_templates_follow_a_locale_forced_within_the_request(app, compiled_catalogue):
    # Templates look the request's translations up once, not per string (coursehub.web); a mail
    # rendered in Swedish inside an English page, and the page after it, must each get their own.
    template = app.jinja_env.from_string(
        "{{ _('Kurser') }}|{{ ngettext('%(num)d kurs hittades.', '%(num)d kurser hittades.', 3) }}"
    )
    with app.test_request_context():
        with force_locale("en"):
            assert template.render() == "Courses|3 courses found."
            with force_locale("sv"):
                assert template.render() == "Kurser|3 kurser hittades."
            assert template.render() == "Courses|3 courses found."
        assert template.render() == "Kurser|3 kurser hittades."


def test_the_date_filters_follow_a_locale_forced_within_the_request(app):
    # The filters read the locale where Flask-Babel keeps it (coursehub.web._request_locale);
    # a locale forced for a while, and the request's own after it, must each be the one used.
    local_date = app.jinja_env.filters["local_date"]
    day = date(2026, 7, 1)
    with app.test_request_context("/"):
        assert local_date(day) == "1 juli 2026"
        with force_locale("en"):
            assert local_date(day) == "1 July 2026"
        assert local_date(day) == "1 juli 2026"


def test_every_message_has_a_consistent_english_translation():
    untranslated, fuzzy, placeholders = [], [], []
    for message in _messages():
        if message.fuzzy:
            fuzzy.append(_key(message))
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        if not _is_translated(message):
            untranslated.append(_key(message))
            continue
        for index, translated in enumerate(_strings(message)):
            source = sources[min(index, len(sources) - 1)]
            if set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(translated)):
                placeholders.append(f"{source!r} -> {translated!r}")
    problems = {
        "no English translation for": untranslated,
        "fuzzy (unchecked) translations": fuzzy,
        "placeholders differ": placeholders,
    }
    assert not any(problems.values()), "\n".join(
        f"{title}:\n  " + "\n  ".join(items) for title, items in problems.items() if items
    )


def test_every_string_in_the_code_has_an_english_translation(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            *EXTRACT_OPTIONS,
            "-o",
            str(template),
            ".",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    with template.open("rb") as f:
        wanted = {_key(message) for message in read_po(f) if message.id}
    translated = {_key(message) for message in _messages() if _is_translated(message)}
    missing = sorted(wanted - translated)
    assert len(wanted) > 100  # the extraction found the code and the templates
    assert not missing, (
        f"{len(missing)} Swedish text(s) have no English translation in {PO_FILE} "
        "(the commands to update it are at its top):\n  " + "\n  ".join(missing)
    )


def test_mail_is_written_in_swedish_whatever_language_the_sender_uses(app, client, login_as):
    """An English-speaking staff member's invitation still reaches the new user in Swedish."""
    from sqlalchemy import select

    from coursehub.extensions import db
    from coursehub.notifications.models import OutboxMessage
    from tests.factories import UserFactory

    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)
    client.post("/sprak", data={"locale": "en", "next": "/"})
    response = client.post(
        "/admin/anvandare/ny",
        data={
            "full_name": "Märta Ågren",
            "email": "marta.agren@exempel.test",
            "roles": ["family"],
        },
    )
    assert response.status_code == 302
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.subject == f"Välkommen till {app.config['COURSEHUB_ORGANISATION']}"


# -- the date filters -----------------------------------------------------------------------------

DATETIME_FILTER_FORMATS = [
    "EEEE d MMMM y 'kl.' HH:mm",
    "d MMM y HH:mm",
    "HH:mm",
    "d MMM HH:mm",
    "EEE d MMM 'kl.' HH:mm",
]
DATE_FILTER_FORMATS = ["d MMMM y", "d MMM", "EEEE d MMMM y", "EEE d MMM y"]
DATE_FILTER_MOMENTS = [
    datetime(2026, 1, 15, 8, 30, tzinfo=UTC),  # winter time, UTC+1
    datetime(2026, 7, 1, 22, 15, tzinfo=UTC),  # summer time, UTC+2: already 2 July in Sweden
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # the last minute of winter time
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # the first minute of summer time
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # the hour that comes twice
    datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # a new year in Sweden, not yet in UTC
    datetime(2026, 6, 10, 12, 0, tzinfo=UTC).replace(tzinfo=None),  # naive, as SQLite returns it: UTC
    datetime(2026, 6, 10, 12, 0, tzinfo=ZoneInfo("America/New_York")),  # another zone
]


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_the_date_filters_write_what_flask_babel_writes(app, locale):
    """The template filters apply Babel's patterns themselves (five times cheaper); the text must
    be the one Flask-Babel's format_datetime and format_date write, in Swedish time, in both languages."""
    filters = app.jinja_env.filters
    with app.test_request_context("/"), force_locale(locale):
        for moment in DATE_FILTER_MOMENTS:
            for fmt in DATETIME_FILTER_FORMATS + DATE_FILTER_FORMATS:
                assert filters["local_datetime"](moment, fmt) == format_datetime(moment, fmt), (moment, fmt)
            for fmt in DATE_FILTER_FORMATS:
                local_day = to_user_timezone(moment).date()
                assert filters["local_date"](moment, fmt) == format_date(local_day, fmt), (moment, fmt)
                assert filters["local_date"](local_day, fmt) == format_date(local_day, fmt), (moment, fmt)
            assert filters["local_datetime"](moment) == format_datetime(moment, "EEEE d MMMM y 'kl.' HH:mm")
            assert filters["local_time"](moment) == format_datetime(moment, "HH:mm")
            assert filters["local_date"](moment) == format_date(to_user_timezone(moment).date(), "d MMMM y")
        assert filters["local_datetime"](None) == filters["local_date"](None) == ""
    with app.test_request_context("/"), force_locale("sv"):
        # One known text, so that the comparison above cannot pass with both sides wrong.
        summer_night = datetime(2026, 7, 1, 22, 15, tzinfo=UTC)
        assert filters["local_datetime"](summer_night) == "torsdag 2 juli 2026 kl. 00:15"


def test_a_kept_date_text_is_the_one_for_its_language_and_its_hour(app, compiled_catalogue):
    """The filters keep the texts they write (coursehub.web._formatted): a moment written in
    Swedish must still be written in English for an English page, and the two instants of the
    hour that comes twice, the same wall time, keep each its own offset."""
    filters = app.jinja_env.filters
    moment = datetime(2026, 7, 1, 22, 15, tzinfo=UTC)
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 summer time
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 winter time
    with app.test_request_context("/"):
        with force_locale("sv"):
            swedish = [filters["local_datetime"](moment) for _ in range(2)]
            offsets = [filters["local_datetime"](m, "HH:mm xxx") for m in (first, second, first)]
        with force_locale("en"):
            english = [filters["local_datetime"](moment) for _ in range(2)]
            babel_english = format_datetime(moment, "EEEE d MMMM y 'kl.' HH:mm")
            day = filters["local_date"](moment, "EEEE d MMMM y")
    assert swedish == ["torsdag 2 juli 2026 kl. 00:15"] * 2
    assert english == [babel_english] * 2 and babel_english.startswith("Thursday 2 July 2026")
    assert day == "Thursday 2 July 2026"
    assert offsets == ["02:30 +02:00", "02:30 +01:00", "02:30 +02:00"]


def test_the_menu_and_footer_follow_the_language_though_their_texts_are_remembered(
    app, client, db, login_as, compiled_catalogue
):
    # The layout remembers each menu label's translation per language (coursehub.web._menu_text):
    # each language must still get its own, the grouped pages' disclosures too.
    from tests.factories import UserFactory

    staff = UserFactory(roles=["staff"])
    db.session.commit()
    login_as(client, staff)
    for _round in range(2):
        swedish = _switch(client, "sv")
        assert ">Kurser</a>" in swedish
        assert '<summary class="nav-link">Uppföljning</summary>' in swedish
        assert '<summary class="nav-link">Administration</summary>' in swedish
        assert "Follow-up" not in swedish
        assert "Vi har stängt veckorna 28–31 och 52." in swedish  # the footer's remembered sentence
        english = _switch(client, "en")
        assert ">Courses</a>" in english
        assert '<summary class="nav-link">Follow-up</summary>' in english
        assert ">Kurser</a>" not in english
        assert "Uppföljning" not in english
        assert "We are closed in weeks 28–31 and 52." in english
