"""The network forum: closed networks with subjects, threads, posts and notifications."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Join the app: blueprint, menu item, event receiver, the digest job, demo seeder."""
    from coursehub import events
    from coursehub.forum import bench, demo, jobs, models, permissions, personal_data, receivers, views  # noqa: F401 - models: every table known
    from coursehub.lib.bench import add_bench_seeder
    from coursehub.lib.demo import add_demo_seeder
    from coursehub.lib.nav import add_nav_items
    from coursehub.lib.personal_data import add_personal_data_provider
    from coursehub.lib.start import add_start_pages
    from coursehub.lib.user_facts import add_user_fact
    from coursehub.notifications.scheduler import JobSpec, add_jobs

    app.register_blueprint(views.bp)
    add_personal_data_provider(app, personal_data.provider)
    add_nav_items(app, views.nav_items)
    add_start_pages(app, views.start_pages)
    # The menu's "Nätverk" is decided from the statement that loads the session's user.
    add_user_fact(app, permissions.IN_ANY_NETWORK, permissions.in_some_network)
    events.user_deactivated.connect(receivers.end_notifications)
    add_jobs(app, [JobSpec("forum_daily_digests", jobs.send_daily_digests, cron={"hour": 7, "minute": 0})])
    add_demo_seeder(app, demo.seed)
    add_bench_seeder(app, bench.seed)
    _init_documents_and_search(app)


def _init_documents_and_search(app: Flask) -> None:
    """Documents, library, news, meetings and search: menu item, search index, upload clean-up."""
    from coursehub.forum import documents, search
    from coursehub.forum.views import library
    from coursehub.lib.nav import add_nav_items

    add_nav_items(app, library.nav_items)
    search.keep_index_in_step()  # entries follow every flush of threads, posts and documents
    # A failed upload leaves no file behind; a deleted document's files go once that is committed.
    documents.keep_files_with_transactions()
