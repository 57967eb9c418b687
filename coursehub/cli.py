"""Flask commands: seed-demo, create-user, scheduler and outbox."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from coursehub import clock
from coursehub.extensions import db
from coursehub.lib.demo import demo_seeders


def init_app(app: Flask) -> None:
    """Register the commands on `app`."""
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(scheduler)
    app.cli.add_command(outbox)


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
