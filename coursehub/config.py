"""Settings: defaults here, then instance/config.py, then the environment, then the caller's dict."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

# Good for development only: check() refuses it in production.
DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105  # nosec B105


class Defaults:
    """Defaults for local development (the embedded default: SQLite, scheduler off)."""

    ENV_NAME = "development"  # development | production | testing
    DEBUG = False
    SECRET_KEY = DEFAULT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = None  # filled in create_app: sqlite file in instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SERVER_NAME_FOR_LINKS = "http://127.0.0.1:5000"  # base of links in e-mails, never the Host header
    PREFERRED_URL_SCHEME = "http"

    # Sessions (SECURITY.md): idle and absolute time-outs, no remember-me.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=30)  # idle time-out
    COURSEHUB_SESSION_ABSOLUTE = timedelta(hours=10)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    WTF_CSRF_TIME_LIMIT = 60 * 60  # no shorter than the idle time-out

    # Mail: with no MAIL_SERVER the outbox keeps messages for staff to read.
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "Familjehemsresursen <noreply@familjehemsresurs.example>"
    MAIL_TIMEOUT = 10
    COURSEHUB_OUTBOX_MAX_ATTEMPTS = 8
    # A sender records what it sent once per this many messages (notifications.jobs): a sender that
    # dies mid-group may send up to this many again after its lease; 1 halves the throughput.
    COURSEHUB_OUTBOX_RECORD_EVERY = 10

    # Scheduler: "inprocess" only for `make run`; otherwise the web process starts none.
    COURSEHUB_SCHEDULER = ""

    # Login rate limits (per address and per account).
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    COURSEHUB_LOGIN_LIMIT_ADDRESS = "20 per 10 minutes"
    # Growing delays after failed logins (accounts.services.check_login_throttle): after FREE failures
    # on an account or from an address, the next try waits DELAY seconds, doubling with each further
    # failure up to DELAY_MAX; failures older than FORGET_HOURS no longer count.
    COURSEHUB_LOGIN_FREE_FAILURES = 5
    COURSEHUB_LOGIN_DELAY_SECONDS = 30
    COURSEHUB_LOGIN_DELAY_MAX_SECONDS = 3600
    COURSEHUB_LOGIN_FAILURES_FORGET_HOURS = 24
    # The second factor (TOTP, coursehub/accounts/second_factor.py): when on, staff, admins and case
    # readers must turn it on at their next login before anything else (an admin setting, kept here
    # like every other setting). The login's code step must be done within STEP_MINUTES.
    COURSEHUB_REQUIRE_SECOND_FACTOR = False
    COURSEHUB_SECOND_FACTOR_STEP_MINUTES = 5
    # Password-reset mails per account and hour; more requests get the same answer and no mail.
    COURSEHUB_RESET_MAILS_PER_HOUR = 3

    # A family registering itself (/kurser/<id>/ny-familj): rate limits per client address, per
    # typed e-mail address and over everyone (Flask-Limiter strings; counted in
    # RATELIMIT_STORAGE_URI, shared by every worker in production). Its sign-up holds no seat until
    # an adult accepts the invitation, and lapses (the household with it) after CONFIRM_HOURS.
    # Staff are warned when one municipality has more than WARN_UNCONFIRMED unconfirmed
    # registrations in the last 24 hours.
    COURSEHUB_REGISTER_LIMIT_ADDRESS = "5 per hour"
    COURSEHUB_REGISTER_LIMIT_EMAIL = "3 per day"
    COURSEHUB_REGISTER_LIMIT_ALL = "30 per hour"
    COURSEHUB_REGISTER_CONFIRM_HOURS = 48
    COURSEHUB_REGISTER_WARN_UNCONFIRMED = 5

    # Links sent by e-mail. Refused personal links (unknown, used or out of date) per client address,
    # summed over every personal-link page (coursehub.lib.ratelimits.personal_link).
    COURSEHUB_LINK_LIMIT_ADDRESS = "20 per 10 minutes"
    COURSEHUB_RESET_TOKEN_HOURS = 2
    COURSEHUB_INVITATION_DAYS = 7

    # Courses and enrollment.
    COURSEHUB_OFFER_HOURS = 48
    COURSEHUB_REMINDER_HOURS = 48
    # The attendance sheet takes marks from this many minutes before a session starts.
    COURSEHUB_SHEET_OPENS_MINUTES = 30

    # Evaluations: one reminder this many days after the invitation, closing after OPEN_DAYS.
    COURSEHUB_EVALUATION_REMINDER_DAYS = 7
    COURSEHUB_EVALUATION_OPEN_DAYS = 21
    # Recruitment: the first contact with a family that registered its interest is due within
    # this many working days (weekends, public holidays and the closure weeks left out); register
    # checks are made for every adult and every child in the home of at least CHECK_AGE years.
    # The public interest registration has the family registration's rate limits.
    COURSEHUB_RECRUITMENT_FIRST_CONTACT_DAYS = 10
    COURSEHUB_RECRUITMENT_CHECK_AGE = 15
    # Recruitment, after the presentation: how long the family's approval link works, and when a
    # recruited family becomes a household and is signed up for basic training: "match" (when it
    # is matched with a municipality's request) or "approval" (when it approves its presentation).
    COURSEHUB_RECRUITMENT_PRESENTATION_LINK_DAYS = 30
    COURSEHUB_RECRUITMENT_ENROL_ON = "match"

    # Benchmarks only (benchmarks/run.sh): each response says how many SQL statements it ran,
    # in an X-Query-Count header. Off by default: it tells outsiders something of the internals.
    COURSEHUB_QUERY_COUNT_HEADER = False

    BABEL_DEFAULT_LOCALE = "sv"
    # The catalogues live at the project root, beside templates/, not inside the package.
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).resolve().parent.parent / "translations")
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    COURSEHUB_LOCALES = ("sv", "en")
    BOOTSTRAP_SERVE_LOCAL = True

    COURSEHUB_ORGANISATION = "Familjehemsresursen i Jönköpings län"
    # How people reach the organisation (coursehub.lib.organisation): shown in the footer, on the
    # contact and error pages and in the accessibility statement. Data of one deployment, not code;
    # in the environment the address lines and the weeks are separated by commas.
    COURSEHUB_CONTACT_PHONE = "036-10 20 30"
    COURSEHUB_CONTACT_PHONE_HOURS = "måndag–torsdag kl. 9–12"
    COURSEHUB_CONTACT_EMAIL = "kontakt@familjehemsresurs.example"
    COURSEHUB_CONTACT_POSTAL_ADDRESS = ("Familjehemsresursen", "Box 100", "551 11 Jönköping")
    COURSEHUB_CLOSURE_WEEKS = (28, 29, 30, 31, 52)  # ISO week numbers, every year
    # The date the accessibility statement was last reviewed against the site (ISO date).
    COURSEHUB_ACCESSIBILITY_REVIEWED = "2026-12-01"
    TRUSTED_HOSTS = None
    COURSEHUB_PROXY_HOPS = 0  # how many proxies in front set X-Forwarded-For/-Proto/-Host
    # The largest request body (werkzeug answers 413 above it, and above MAX_FORM_MEMORY_SIZE,
    # 500 kB, for one form field). Forms are small; a view that takes uploads raises
    # request.max_content_length for its own requests.
    MAX_CONTENT_LENGTH = 1024 * 1024

    # Uploaded documents (the forum): the folder they are kept in, outside the package and
    # static/ ("" means instance/uploads), and the largest file. Only the upload pages take
    # bodies that large (coursehub/forum/views/documents.py); every other form keeps the limit above.
    COURSEHUB_UPLOAD_DIR = ""
    COURSEHUB_UPLOAD_MAX_BYTES = 10 * 1024 * 1024

    # Evaluation results of any selection (a run, a course type, a half-year, a survey) are shown
    # only once at least this many have answered, so that nobody can be picked out.
    COURSEHUB_EVALUATION_MIN_ANSWERS = 5

    # The resource's start (an ISO date): the report's series of half-years and years begins here.
    COURSEHUB_REPORTS_START = "2024-01-01"
    # A report's figures, once counted, are shown from what was kept for this many minutes (its
    # charts, printable page and workbook too), unless someone asks for them to be counted again
    # (reports.models.ReportSnapshot says why). 0 counts them on every request.
    COURSEHUB_REPORT_FRESH_MINUTES = 10

    # Retention (SECURITY.md, Privacy): how long personal data are kept, in days. The retention
    # jobs (`flask retention run`, and nightly in the scheduler) anonymise what figures count and
    # delete the rest; anonymous counts for the steering group's figures stay the same.
    # - A recruitment case that was closed or withdrawn: anonymised this long after its last entry
    #   (its end, a later note or step). Case files are commonly kept five years. A municipality's
    #   request that was matched or closed loses its free text (the child's needs) as long after it
    #   ended: it belongs to the same matching record as the offers and the match on the case.
    COURSEHUB_RETENTION_CASE_DAYS = 5 * 365
    # - A self-registered household that nobody vouched for (not confirmed by its municipality, no
    #   adult who chose a password): removed this long after it registered, with its adults.
    COURSEHUB_RETENTION_UNCONFIRMED_DAYS = 30
    # - A sign-up that was declined by the municipality, cancelled or lapsed: deleted this long
    #   after it ended (no figure counts it; confirmed sign-ups are kept).
    COURSEHUB_RETENTION_ENDED_SIGNUP_DAYS = 2 * 365
    # - A sent e-mail: its body, calendar part and extra headers are dropped this long after it
    #   was delivered; the row (recipient, subject, times) stays as the record of the delivery.
    #   One that could not be sent (failed) loses them as long after it failed, and then can no
    #   longer be sent again.
    COURSEHUB_RETENTION_MAIL_BODY_DAYS = 90
    # - An audit row: deleted this long after it was written. The law asks that the log of who
    #   read a case be kept longer than the case itself, so keep this above CASE_DAYS.
    COURSEHUB_RETENTION_AUDIT_DAYS = 10 * 365
    # At most this many rows per job and run: a run's work is bounded by what is due, never by
    # the history; what is left is taken by the next night's run.
    COURSEHUB_RETENTION_BATCH = 500

    # Unusual reads in the audit log (flagged on its page and in a daily mail to admins): one user
    # reading this many distinct recruitment records within this many minutes, and any read outside
    # these working hours (Stockholm time, from the first hour to the second, on weekdays that are
    # no public holiday).
    COURSEHUB_AUDIT_BURST_READS = 20
    COURSEHUB_AUDIT_BURST_MINUTES = 10
    COURSEHUB_AUDIT_WORKING_HOURS = (7, 19)


_BOOL = {
    "1": True,
    "true": True,
    "yes": True,
    "on": True,
    "0": False,
    "false": False,
    "no": False,
    "off": False,
    "": False,
}


def _coerce(current, raw: str):
    """Turn an environment string into the type of the default it replaces."""
    if isinstance(current, bool):
        return _BOOL.get(raw.strip().lower(), False)
    if isinstance(current, int):
        return int(raw)
    if isinstance(current, timedelta):
        return timedelta(seconds=int(raw))
    if isinstance(current, tuple | list):
        return tuple(p.strip() for p in raw.split(",") if p.strip())
    return raw


def from_environment(config: dict, environ=os.environ) -> None:
    """Override settings from COURSEHUB_*, MAIL_*, SECRET_KEY, DATABASE_URL and friends."""
    for key in list(config.keys()):
        if key.startswith(("COURSEHUB_", "MAIL_", "SESSION_", "RATELIMIT_")) or key in {
            "SECRET_KEY",
            "SERVER_NAME_FOR_LINKS",
            "DEBUG",
            "ENV_NAME",
            "MAX_CONTENT_LENGTH",
        }:
            if key in environ:
                config[key] = _coerce(config[key], environ[key])
    if environ.get("COURSEHUB_ENV"):
        config["ENV_NAME"] = environ["COURSEHUB_ENV"]
    if environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(environ["DATABASE_URL"])
    if environ.get("TRUSTED_HOSTS"):
        config["TRUSTED_HOSTS"] = [h.strip() for h in environ["TRUSTED_HOSTS"].split(",") if h.strip()]


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgres:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_url(instance_path: str) -> str:
    """Return the URL of the embedded default database file."""
    return "sqlite:///" + str(Path(instance_path) / "coursehub.sqlite")


class SettingsError(RuntimeError):
    """The settings are unfit for production; one line per problem, naming what to set."""


def check(config: Mapping[str, Any]) -> None:
    """Refuse to run in production without what production needs (SECURITY.md, DESIGN.md).

    Raises SettingsError with one line per missing or unsafe setting, all of them at once, so
    that whoever deploys fixes them in one go.
    """
    if config["ENV_NAME"] != "production":
        return
    problems = production_problems(config)
    if problems:
        raise SettingsError("\n".join(problems))


def production_problems(config: Mapping[str, Any]) -> list[str]:
    """Return one line for each setting that production may not run with."""
    problems = []
    if not config.get("SECRET_KEY") or config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        problems.append("SECRET_KEY must be set to a secret value in production.")
    if config.get("DEBUG"):
        problems.append("DEBUG must be off in production.")
    links = urlsplit(str(config.get("SERVER_NAME_FOR_LINKS") or ""))
    if links.scheme != "https" or not links.hostname:
        problems.append(
            "SERVER_NAME_FOR_LINKS must be an https:// address (the base of links in "
            "e-mails), for example https://kurser.example.se."
        )
    if not config.get("TRUSTED_HOSTS"):
        problems.append(
            "TRUSTED_HOSTS must name the host names the service answers to, separated "
            "by commas (any other Host header gets a 400 page)."
        )
    if not _is_postgresql(config.get("SQLALCHEMY_DATABASE_URI")):
        problems.append(
            "DATABASE_URL must be a PostgreSQL database (postgresql://...): the "
            "embedded SQLite file serves one machine only."
        )
    if str(config.get("RATELIMIT_STORAGE_URI") or "memory://").startswith(("memory:", "async+memory:")):
        problems.append(
            "RATELIMIT_STORAGE_URI must be shared by every worker (redis://...): "
            "memory:// counts login attempts per process."
        )
    if not config.get("RATELIMIT_ENABLED", True):
        problems.append("RATELIMIT_ENABLED must be on in production: it slows down password guessing.")
    if not config.get("MAIL_SERVER"):
        problems.append("MAIL_SERVER must be set: without it no e-mail leaves the outbox.")
    return problems


def _is_postgresql(url: object) -> bool:
    if not url:
        return False
    try:
        return make_url(str(url)).get_backend_name() == "postgresql"
    except ArgumentError:
        return False
