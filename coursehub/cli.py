"""Flask commands: seed-demo, bench-seed, create-user, scheduler, outbox and retention."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from coursehub import clock
from coursehub.extensions import db
from coursehub.lib.bench import SCALES, BenchContext, bench_seeders, reset_sequences
from coursehub.lib.demo import demo_seeders


def init_app(app: Flask) -> None:
    """Register the commands on `app`."""
    app.cli.add_command(seed_demo)
    app.cli.add_command(bench_seed)
    app.cli.add_command(create_user)
    app.cli.add_command(scheduler)
    app.cli.add_command(outbox)
    app.cli.add_command(retention)


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Load demo data (safe to run again: only what is missing is added)."""
    now = clock.now()
    logins: list[tuple[str, str, str]] = []
    try:
        for seed in demo_seeders(current_app):
            logins.extend(seed(now) or ())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    from coursehub.accounts.demo import DEMO_PASSWORD

    click.echo("Demo data is in place. Log in at http://127.0.0.1:5000/logga-in with:")
    for roles, username, email in logins:
        click.echo(f"  {roles:<18} {username:<18} {email}")
    click.echo(f"  password for all: {DEMO_PASSWORD}")


@click.command("bench-seed")
@click.option("--scale", type=click.Choice(sorted(SCALES)), default="county", show_default=True)
@click.option("--seed", "seed_value", type=int, default=2026, show_default=True, help="Same seed, same data.")
@click.option(
    "--targets", type=click.Path(dir_okay=False), help="Write the bench logins and page ids here (JSON)."
)
@with_appcontext
def bench_seed(scale, seed_value, targets):
    """Load the benchmark data set of a scale into an empty, migrated database (benchmarks/)."""
    import json
    import random
    import time

    from sqlalchemy import func, select, text

    from coursehub.accounts.models import User

    if db.session.scalar(select(func.count()).select_from(User)):
        raise click.ClickException("bench-seed loads into an empty database; this one has users already.")
    started = time.monotonic()
    # Made-up data, reproducible from the seed on purpose: no secret comes from this generator.
    rng = random.Random(seed_value)  # noqa: S311  # nosec B311
    context = BenchContext(scale=SCALES[scale], rng=rng, now=clock.now())
    try:
        for seed in bench_seeders(current_app):
            seed(context)
        reset_sequences(db.metadata.sorted_tables)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    # The statistics of what was loaded, as autovacuum or SQLite's optimize would gather in time:
    # a page timed at once was otherwise planned on the guesses for empty tables (0.5-3 s a page
    # at national size, against 12-700 ms after).
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    if targets:
        with open(targets, "w", encoding="utf-8") as out:
            json.dump(context.targets, out, indent=2)
    click.echo(
        f"bench data of scale {scale} (seed {seed_value}) loaded in {time.monotonic() - started:.1f} s"
    )


@click.command("create-user")
@click.argument("email")
@click.option("--name", "full_name", required=True, help="Full name, e.g. 'Anna Svensson'.")
@click.option("--role", "roles", multiple=True, required=True, help="Role; may be repeated.")
@click.option("--municipality", "municipality_code", help="Four-digit municipality code.")
@with_appcontext
def create_user(email, full_name, roles, municipality_code):
    """Create a user; the password is read from standard input."""
    from flask_babel import force_locale

    from coursehub.accounts import services
    from coursehub.errors import CoursehubError

    password = sys.stdin.readline().rstrip("\r\n")
    try:
        # Outside a request there is no visitor's language to pick: messages are in Swedish.
        with force_locale("sv"):
            user = services.create_user_from_cli(
                email=email,
                full_name=full_name,
                roles=roles,
                password=password,
                municipality_code=municipality_code,
                now=clock.now(),
            )
        db.session.commit()
    except CoursehubError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    click.echo(f"Created user {user.username} ({', '.join(sorted(r.value for r in user.roles))}).")


@click.command("scheduler")
@with_appcontext
def scheduler():
    """Run the scheduled jobs in this process until stopped (one such process per site)."""
    from coursehub.notifications.scheduler import run_blocking

    # Flask types the current_app proxy as Flask itself; unwrapping it is the documented way to
    # hand the app to code that outlives the context.
    run_blocking(current_app._get_current_object())  # type: ignore[attr-defined]


@click.group("outbox")
def outbox():
    """Work with the e-mail outbox."""


@outbox.command("send")
@with_appcontext
def outbox_send():
    """Send what is due in the outbox now."""
    from coursehub.notifications.jobs import send_outbox

    result = send_outbox(clock.now())
    click.echo(f"sent {result.sent}, retrying {result.retrying}, failed {result.failed}")


# The scheduled jobs of every area whose names start so are the retention jobs (config.py has
# their periods); `flask retention run` runs them by hand, as the scheduler does each night.
RETENTION_PREFIX = "retention_"


@click.group("retention")
def retention():
    """Remove or anonymise the personal data whose retention period has passed."""


@retention.command("run")
@click.option("--job", "names", multiple=True, help="Run only this retention job; may be repeated.")
@with_appcontext
def retention_run(names):
    """Run the retention jobs now, each in its own transaction, as the scheduler runs them."""
    from coursehub.notifications.scheduler import job_specs, run_job

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    specs = [spec for spec in job_specs(app) if spec.name.startswith(RETENTION_PREFIX)]
    unknown = set(names) - {spec.name for spec in specs}
    if unknown:
        choices = ", ".join(spec.name for spec in specs)
        raise click.ClickException(f"No retention job {', '.join(sorted(unknown))}; there are: {choices}.")
    failed = []
    for spec in specs:
        if names and spec.name not in names:
            continue
        done: list[object] = []
        ok = run_job(app, _keeping_result(spec.func, done), spec.name, exclusive=spec.exclusive)
        if not ok:
            failed.append(spec.name)
            click.echo(f"{spec.name}: failed (see the log)")
        else:
            click.echo(f"{spec.name}: {done[0] if done else 'skipped, another scheduler is running it'}")
    if failed:
        raise click.ClickException(f"{len(failed)} retention job(s) failed.")


def _keeping_result(func, results: list[object]):
    """Return `func` as a job that also appends what it returned (the rows it handled) to `results`."""

    def job(now):
        results.append(func(now))

    job.__name__ = getattr(func, "__name__", "job")
    return job
