"""Recruitment: interest registrations, cases and their steps, checklists, requests, offers, matches."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Join the app: blueprint, menu items and demo seeder."""
    from coursehub.lib.bench import add_bench_seeder
    from coursehub.lib.demo import add_demo_seeder
    from coursehub.lib.nav import add_nav_items
    from coursehub.recruitment import bench, demo, models, views  # noqa: F401 - models: every table known

    app.register_blueprint(views.bp)
    add_nav_items(app, views.nav_items)
    add_demo_seeder(app, demo.seed)
    add_bench_seeder(app, bench.seed)
