"""Recruitment: interest registrations, cases and their steps, checklists, requests, offers, matches."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Join the app: blueprint, menu items, personal data, the retention jobs, bench and demo seeders."""
    from coursehub.lib.bench import add_bench_seeder
    from coursehub.lib.demo import add_demo_seeder
    from coursehub.lib.nav import add_nav_items
    from coursehub.lib.personal_data import add_personal_data_provider
    from coursehub.notifications.scheduler import JobSpec, add_jobs
    from coursehub.recruitment import bench, demo, jobs, models, personal_data, views  # noqa: F401 - models: every table known

    app.register_blueprint(views.bp)
    add_personal_data_provider(app, personal_data.provider)
    add_nav_items(app, views.nav_items)
    add_jobs(
        app,
        [
            JobSpec("retention_cases", jobs.anonymise_ended_cases, cron={"hour": 2, "minute": 0}),
            JobSpec("retention_requests", jobs.blank_ended_requests, cron={"hour": 2, "minute": 5}),
        ],
    )
    add_demo_seeder(app, demo.seed)
    add_bench_seeder(app, bench.seed)
