"""Users, roles, municipalities, households, login, invitations, password reset, audit log.

`init_app` imports the views (and so the blueprint), so that importing the models of this core
area never pulls in views.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Join the app: blueprint, menu items, event receivers, personal data, jobs, demo seeder."""
    from coursehub import events
    from coursehub.accounts import bench, demo, jobs, models, personal_data, receivers, views  # noqa: F401 - models: every table known
    from coursehub.lib.bench import add_bench_seeder
    from coursehub.lib.demo import add_demo_seeder
    from coursehub.lib.nav import add_nav_items
    from coursehub.lib.personal_data import add_personal_data_provider
    from coursehub.notifications.scheduler import JobSpec, add_jobs

    app.register_blueprint(views.bp)
    add_personal_data_provider(app, personal_data.provider)
    add_nav_items(app, views.nav_items)
    events.outbox_message_read.connect(receivers.audit_outbox_read)
    add_jobs(
        app,
        [
            JobSpec("retention_audit", jobs.remove_expired_audit_entries, cron={"hour": 2, "minute": 50}),
            # Early in the morning, so that admins find yesterday's unusual reads when they start work.
            JobSpec("accounts_unusual_reads", jobs.mail_unusual_reads, cron={"hour": 6, "minute": 5}),
        ],
    )
    add_demo_seeder(app, demo.seed)
    add_bench_seeder(app, bench.seed)
