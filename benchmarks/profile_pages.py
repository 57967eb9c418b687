"""Where one key page spends its time: SQL, and everything outside the database.

Runs a page many times in this process through Flask's test client (no server, no network) against
a database loaded with `flask bench-seed`, under cProfile, and prints per page the milliseconds of
one request, how much of that waited on the database (the time between each statement's
`before_cursor_execute` and `after_cursor_execute`, fetching included), the statements of one
request, and the functions with the most time of their own.

    DATABASE_URL=postgresql+psycopg://…  .venv/bin/python benchmarks/profile_pages.py \
        --targets targets.json [--requests 200] [--top 25] [page name …]

The targets file is the one `flask bench-seed --targets` writes; page names are those of
benchmarks/run.sh ("catalogue", "forum thread 100 posts", …). Without names it times every page
and prints no profile, one line each: a table to compare before and after a change (so does
`--no-profile` for the pages it names). It ends with
the floors ("floor: ok, family", "floor: layout, staff", …): what a request costs before a page
does anything of its own, on two routes this script adds to its own app (an "ok" and an empty page
in the site's layout), anonymous and logged in.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coursehub import create_app  # noqa: E402


def pages(targets: dict) -> dict[str, tuple[str, str | None]]:
    """The key pages of benchmarks/run.sh: name -> (path, login or None)."""
    logins = targets["logins"]
    return {
        "catalogue": ("/kurser", None),
        "catalogue filtered": (f"/kurser?typ={targets['basic_type_id']}&satt=plats", None),
        "catalogue late page": (f"/kurser?sida={targets.get('catalogue_late_page', 9999)}", None),
        "catalogue seats left": ("/kurser?platser=y", None),
        "course page": (f"/kurser/{targets['course_run_id']}", None),
        "family start page": ("/", logins["family"]),
        "family courses": ("/mina-kurser", logins["family"]),
        "family progress": ("/mina-framsteg", logins["family"]),
        "calendar feed": (f"/kalender/{targets['feed_token']}.ics", None),
        "attendance sheet": (f"/traffar/{targets['sheet_session_id']}/narvaro", logins["leader"]),
        "participant list": (f"/kurser/{targets['participants_run_id']}/deltagare", logins["leader"]),
        "staff run list": ("/admin/kurser", logins["staff"]),
        "forum thread 100 posts": (f"/natverk/trad/{targets['forum_thread_id']}", logins["member"]),
        "network thread list": (f"/natverk/{targets['forum_network_id']}", logins["member"]),
        "forum search": (f"/natverk/sok?sok={targets['forum_search']}", logins["member"]),
        "case board": ("/rekrytering/", logins["staff"]),
        "staff start page": ("/att-gora", logins["staff"]),
        "yearly report": ("/rapport?period=2025&omrade=lan", logins["staff"]),
    }


def late_page(last_page_html: str) -> int:
    """The catalogue's "late page": the page before the last, which is full (or the only page).

    `last_page_html` is the catalogue asked for page 9999, which shows the last page; its links
    go to the pages before it, the highest to the one wanted. The last page itself may hold a
    single run at one scale and twenty at another: not the same page to compare (benchmarks/HISTORY.md).
    """
    return max((int(n) for n in re.findall(r'href="[^"]*[?&;]sida=(\d+)', last_page_html)), default=1)


def floors(targets: dict) -> dict[str, tuple[str, str | None]]:
    """What every page pays before its own work, on two routes only this script adds (see
    `add_floor_routes`): a view that answers "ok", and an empty page in the site's layout, each
    anonymous and logged in. The difference is the cost of the session, the user and the menu."""
    logins = targets["logins"]
    return {
        "floor: ok, anonymous": (FLOOR_PATH, None),
        "floor: ok, family": (FLOOR_PATH, logins["family"]),
        "floor: ok, staff": (FLOOR_PATH, logins["staff"]),
        "floor: layout, anonymous": (LAYOUT_PATH, None),
        "floor: layout, family": (LAYOUT_PATH, logins["family"]),
        "floor: layout, member": (LAYOUT_PATH, logins["member"]),
        "floor: layout, staff": (LAYOUT_PATH, logins["staff"]),
    }


FLOOR_PATH = "/_bench/ok"
LAYOUT_PATH = "/_bench/layout"


def add_floor_routes(app) -> None:
    """Add the two measuring routes to this process's app (never to the app itself)."""
    from flask import render_template

    empty = app.jinja_env.from_string(
        '{% extends "base.html" %}{% block title %}Tom sida{% endblock %}{% block content %}{% endblock %}'
    )
    app.add_url_rule(FLOOR_PATH, "bench_ok", lambda: "ok")
    # render_template with a compiled template runs the context processors as a page does.
    app.add_url_rule(LAYOUT_PATH, "bench_layout", lambda: render_template(empty))


class SqlClock:
    """Time spent inside the database driver, and the statements run."""

    def __init__(self, engine: sa.engine.Engine) -> None:
        self.seconds = 0.0
        self.statements = 0
        self._started = 0.0
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *_args) -> None:
        self._started = time.perf_counter()

    def _after(self, *_args) -> None:
        self.seconds += time.perf_counter() - self._started
        self.statements += 1

    def reset(self) -> None:
        self.seconds, self.statements = 0.0, 0


def login_form_token(page: str) -> str:
    """Return the CSRF token of the login form in `page` (/logga-in), as a browser would send it."""
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    if token is None:
        raise SystemExit("the login form has no CSRF token")
    return token.group(1)


def logged_in_client(app, login: str | None, password: str):
    client = app.test_client()
    if login is None:
        return client
    token = login_form_token(client.get("/logga-in").get_data(as_text=True))
    answer = client.post("/logga-in", data={"csrf_token": token, "login": login, "password": password})
    if answer.status_code not in (302, 303):
        raise SystemExit(f"the login of {login} failed ({answer.status_code})")
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--targets", required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"))
    parser.add_argument("--no-profile", action="store_true", help="time the named pages only")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("DATABASE_URL must name the loaded database")
    targets = json.loads(Path(options.targets).read_text())
    app = create_app({"COURSEHUB_SCHEDULER": "", "RATELIMIT_ENABLED": False})
    add_floor_routes(app)
    last = app.test_client().get("/kurser?sida=9999").get_data(as_text=True)
    targets["catalogue_late_page"] = late_page(last)
    known = pages(targets) | floors(targets)
    names = options.names or list(known)
    with app.app_context():
        from coursehub.extensions import db

        clock = SqlClock(db.engine)
    print(f"{'page':24} {'ms/request':>10} {'SQL ms':>8} {'other ms':>9} {'statements':>10}")
    for name in names:
        path, login = known[name]
        client = logged_in_client(app, login, targets["password"])
        for _ in range(5):  # warm caches: templates compiled, statements cached
            assert client.get(path).status_code == 200, (name, path)
        clock.reset()
        profiler = cProfile.Profile() if options.names and not options.no_profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        for _ in range(options.requests):
            client.get(path)
        if profiler:
            profiler.disable()
        elapsed = (time.perf_counter() - started) / options.requests * 1000
        sql = clock.seconds / options.requests * 1000
        print(
            f"{name:24} {elapsed:10.2f} {sql:8.2f} {elapsed - sql:9.2f} "
            f"{clock.statements / options.requests:10.1f}"
        )
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(options.sort).print_stats(options.top)
            print(out.getvalue())


if __name__ == "__main__":
    main()
