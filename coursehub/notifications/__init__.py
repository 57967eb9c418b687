"""Outbox, mail rendering, the scheduler and its jobs. Used by every area; imports none of them."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Join the app: the outbox page, its menu item and the job that sends the outbox."""
    from coursehub.lib.bench import add_bench_seeder
    from coursehub.lib.nav import add_nav_items
    from coursehub.lib.personal_data import add_personal_data_provider
    from coursehub.notifications import bench, jobs, models, personal_data, views  # noqa: F401 - models: every table known
    from coursehub.notifications.scheduler import JobSpec, add_jobs

    app.register_blueprint(views.bp)
    add_personal_data_provider(app, personal_data.provider)
    add_nav_items(app, views.nav_items)
    # Not exclusive: several senders may share the outbox, each message claimed under a row lock.
    add_jobs(
        app,
        [
            JobSpec("outbox", jobs.send_outbox, minutes=1, exclusive=False),
            JobSpec("retention_mail_bodies", jobs.drop_mail_bodies, cron={"hour": 2, "minute": 40}),
        ],
    )
    add_bench_seeder(app, bench.seed)
