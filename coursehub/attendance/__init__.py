"""The attendance area: attendance sheets, completion across runs, certificates, figures."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Join the app: blueprint, menu items, the attendance link on a run's pages, receivers."""
    from coursehub import events
    from coursehub.attendance import bench, models, personal_data, receivers, views  # noqa: F401 - models: every table known
    from coursehub.lib.bench import add_bench_seeder
    from coursehub.lib.nav import add_nav_items, add_run_links, add_session_warnings
    from coursehub.lib.personal_data import add_personal_data_provider
    from coursehub.lib.start import add_start_pages

    app.register_blueprint(views.bp)
    add_personal_data_provider(app, personal_data.provider)
    add_nav_items(app, views.nav_items)
    add_run_links(app, views.run_links)
    add_bench_seeder(app, bench.seed)
    add_session_warnings(app, views.missing_attendance_warnings)
    add_start_pages(app, views.start_pages)
    events.reminder_due.connect(receivers.excused_from_session)
