"""The network forum: closed networks with subjects, threads, posts and notifications."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Join the app: blueprint, menu item, event receiver, the digest job, demo seeder."""
    from coursehub import events
    from coursehub.forum import demo, jobs, models, receivers, views  # noqa: F401 - models: every table known
    from coursehub.lib.demo import add_demo_seeder
    from coursehub.lib.nav import add_nav_items
    from coursehub.notifications.scheduler import JobSpec, add_jobs

    app.register_blueprint(views.bp)
    add_nav_items(app, views.nav_items)
    events.user_deactivated.connect(receivers.end_notifications)
    add_jobs(app, [JobSpec("forum_daily_digests", jobs.send_daily_digests, cron={"hour": 7, "minute": 0})])
    add_demo_seeder(app, demo.seed)
