"""Evaluations: forms, course evaluations, the yearly survey and their anonymous answers."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Join the app: blueprint, menu item, run links, the run-finished receiver, jobs, seeders."""
    from coursehub import events
    from coursehub.evaluations import bench, demo, jobs, models, personal_data, receivers, views  # noqa: F401 - models: every table known
    from coursehub.lib.bench import add_bench_seeder
    from coursehub.lib.demo import add_demo_seeder
    from coursehub.lib.nav import add_nav_items, add_run_links
    from coursehub.lib.personal_data import add_personal_data_provider
    from coursehub.notifications.scheduler import JobSpec, add_jobs

    app.register_blueprint(views.bp)
    add_personal_data_provider(app, personal_data.provider)
    add_nav_items(app, views.nav_items)
    add_run_links(app, views.run_links)
    add_nav_items(app, views.results.nav_items)
    add_run_links(app, views.results.run_links)
    events.run_finished.connect(receivers.open_finished_run_evaluation)
    add_jobs(
        app,
        [
            JobSpec("evaluation_reminders", jobs.send_evaluation_reminders, cron={"hour": 9, "minute": 30}),
            JobSpec("evaluation_closing", jobs.close_evaluations, cron={"hour": 0, "minute": 15}),
        ],
    )
    add_demo_seeder(app, demo.seed)
    add_bench_seeder(app, bench.seed)
