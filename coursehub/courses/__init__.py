"""The courses area: course types and themes, runs, sessions, venues, leaders, the catalogue."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Join the app: blueprint, menu items, start page, the hourly job that completes runs, demo seeder."""
    from coursehub.courses import bench, demo, jobs, models, views  # noqa: F401 - models: every table known
    from coursehub.lib.bench import add_bench_seeder
    from coursehub.lib.demo import add_demo_seeder
    from coursehub.lib.nav import add_nav_items
    from coursehub.lib.start import add_start_pages
    from coursehub.notifications.scheduler import JobSpec, add_jobs

    app.register_blueprint(views.bp)
    add_nav_items(app, views.nav_items)
    add_start_pages(app, views.start_pages)
    add_jobs(
        app,
        [
            JobSpec("courses_complete_finished_runs", jobs.complete_finished_runs, minutes=60),
        ],
    )
    add_demo_seeder(app, demo.seed)
    add_bench_seeder(app, bench.seed)
