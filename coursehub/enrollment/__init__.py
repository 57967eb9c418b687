"""The enrollment area: sign-up, municipal approval, waiting list, cancellation, invites, feeds."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Join the app: blueprint, menu items, run links, event receivers, jobs, demo seeder."""
    from coursehub import events
    from coursehub.enrollment import bench, demo, jobs, models, personal_data, queries, receivers, views  # noqa: F401
    from coursehub.lib.bench import add_bench_seeder
    from coursehub.lib.demo import add_demo_seeder
    from coursehub.lib.nav import add_nav_items, add_own_run_status, add_run_links
    from coursehub.lib.personal_data import add_personal_data_provider
    from coursehub.lib.start import add_start_pages
    from coursehub.lib.user_facts import add_user_fact
    from coursehub.notifications.scheduler import JobSpec, add_jobs

    app.register_blueprint(views.bp)
    add_personal_data_provider(app, personal_data.provider)
    add_nav_items(app, views.nav_items)
    add_run_links(app, views.run_links)
    add_start_pages(app, views.start_pages)
    add_own_run_status(app, views.own_status)
    # A municipal worker's menu counts the sign-ups waiting for a decision on every page.
    add_user_fact(app, queries.PENDING_APPROVALS, queries.pending_approvals_fact)
    # Connecting the same receiver again (a second app in one process) keeps one connection.
    events.run_cancelled.connect(receivers.cancel_enrollments)
    events.session_changed.connect(receivers.send_updated_invites)
    events.capacity_changing.connect(receivers.check_seats_taken)
    events.capacity_changed.connect(receivers.offer_free_seats)
    events.invitation_accepted.connect(receivers.go_on_with_signups)
    add_jobs(
        app,
        [
            JobSpec("enrollment_expire_offers", jobs.expire_offers, minutes=10),
            JobSpec("enrollment_session_reminders", jobs.send_session_reminders, minutes=15),
            JobSpec("enrollment_lapse_unconfirmed", jobs.lapse_unconfirmed_signups, minutes=15),
            JobSpec("retention_ended_signups", jobs.remove_ended_signups, cron={"hour": 2, "minute": 10}),
            JobSpec(
                "retention_unconfirmed_households",
                jobs.remove_unconfirmed_households,
                cron={"hour": 2, "minute": 20},
            ),
        ],
    )
    add_demo_seeder(app, demo.seed)
    add_bench_seeder(app, bench.seed)
