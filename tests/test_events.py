"""The named events of coursehub.events: the map of who hears what, and that each is sent right.

The map is the one place that shows the paths no import reveals: `pytest -s tests/test_events.py`
prints it. It fails when a receiver is connected that the signal's docstring does not list, or a
listed receiver is not connected.
"""

from __future__ import annotations

import weakref
from datetime import timedelta

from blinker import Signal
from sqlalchemy import select

from coursehub import clock as app_clock
from coursehub import events
from coursehub.accounts import services as account_services
from coursehub.attendance import services as attendance_services
from coursehub.attendance.models import Completion
from coursehub.courses import jobs
from coursehub.courses.models import CourseRun, RunStatus
from coursehub.errors import CoursehubError
from tests.attendance.conftest import enrol, family_member, started_run
from tests.courses.conftest import utc
from tests.factories import CourseRunFactory, CourseTypeFactory, UserFactory, VenueFactory


def all_signals() -> dict[str, Signal]:
    return {name: value for name, value in vars(events).items() if isinstance(value, Signal)}


def documented_receivers(signal: Signal) -> set[str]:
    lines = [line for line in (signal.__doc__ or "").splitlines() if line.startswith("Receivers:")]
    assert len(lines) == 1, f"{signal.name}: its docstring needs one 'Receivers:' line"
    listed = lines[0].removeprefix("Receivers:").replace(",", " ").split()
    return set() if listed == ["none"] else set(listed)


def connected_receivers(signal: Signal) -> set[str]:
    found = set()
    for ref in signal.receivers.values():
        receiver = ref() if isinstance(ref, weakref.ref) else ref
        if receiver is not None:
            found.add(f"{receiver.__module__}.{receiver.__qualname__}")
    return found


class Recorder:
    """A receiver that keeps what it was sent."""

    def __init__(self):
        self.calls = []

    def __call__(self, sender, **kwargs):
        self.calls.append((sender, kwargs))


# -- the map --------------------------------------------------------------------------------------


def test_the_event_map_lists_every_receiver_and_nothing_else(app):
    signals = all_signals()
    assert set(signals) == {
        "run_cancelled",
        "session_changed",
        "reminder_due",
        "capacity_changing",
        "capacity_changed",
        "run_finished",
        "completion_recorded",
        "user_deactivated",
        "invitation_accepted",
        "person_erased",
        "outbox_message_read",
    }
    rows, wrong = [], []
    for name, signal in sorted(signals.items()):
        documented, connected = documented_receivers(signal), connected_receivers(signal)
        rows.append(f"{name:<22} → {', '.join(sorted(connected)) or '(none)'}")
        wrong += [
            f"{name}: {path} is connected but not in the docstring" for path in sorted(connected - documented)
        ]
        wrong += [
            f"{name}: {path} is in the docstring but not connected" for path in sorted(documented - connected)
        ]
    print("\nevent → receivers\n" + "\n".join(rows))  # shown with -s, and on failure
    assert wrong == []


def test_every_event_names_its_sender_and_arguments_with_actor_and_now():
    for name, signal in all_signals().items():
        doc = signal.__doc__ or ""
        assert "Sender:" in doc, name
        arguments = next(line for line in doc.splitlines() if line.startswith("Keyword arguments:"))
        assert "actor" in arguments and "now" in arguments, name


def test_the_map_finds_an_undocumented_receiver(app):
    def stray(sender, **kwargs):
        pass

    with events.user_deactivated.connected_to(stray):
        extra = connected_receivers(events.user_deactivated) - documented_receivers(events.user_deactivated)
    assert extra == {f"{__name__}.test_the_map_finds_an_undocumented_receiver.<locals>.stray"}


# -- each new event is sent once, with the right arguments ------------------------------------------


def test_the_hourly_job_sends_run_finished_once_per_run_it_completes(db):
    first = utc(2026, 10, 6, 16)
    finished = CourseRunFactory(sessions__start=first)
    also_finished = CourseRunFactory(sessions__start=first)
    CourseRunFactory(sessions__start=first, draft=True)  # never completed: nothing sent
    db.session.flush()
    now = max(s.ends_at for s in finished.sessions + also_finished.sessions) + timedelta(hours=1)
    recorder = Recorder()
    with events.run_finished.connected_to(recorder):
        assert jobs.complete_finished_runs(now) == 2
        assert jobs.complete_finished_runs(now + timedelta(hours=1)) == 0
    assert recorder.calls == [
        (finished, {"actor": None, "now": now}),
        (also_finished, {"actor": None, "now": now}),
    ]
    assert {run.status for run, _ in recorder.calls} == {RunStatus.COMPLETED}


def test_a_completion_sends_completion_recorded_once(app, db, clock):
    leader = UserFactory(leader=True)
    course_type = CourseTypeFactory(themes=3)
    run = started_run(course_type, leaders=[leader])
    person = family_member()
    enrol(run, person)
    recorder = Recorder()
    with app.test_request_context(), events.completion_recorded.connected_to(recorder):
        for session in run.sessions:
            attendance_services.record_attendance(
                session, person, status="present", actor=leader, now=clock.now
            )
        # A correction evaluates again; the completion exists, so nothing is sent again.
        attendance_services.record_attendance(
            run.sessions[0], person, status="present", remark="Kom sent", actor=leader, now=clock.now
        )
    completion = db.session.scalars(select(Completion)).one()
    assert completion is not None
    assert recorder.calls == [(completion, {"actor": leader, "now": clock.now})]


def test_a_deactivation_sends_user_deactivated(db, clock):
    staff = UserFactory(staff=True)
    user = UserFactory()
    recorder, active_when_sent = Recorder(), []

    def heard(sender, **kwargs):
        recorder(sender, **kwargs)
        active_when_sent.append(sender.is_active)

    with events.user_deactivated.connected_to(heard):
        account_services.deactivate_user(user, actor=staff, now=clock.now)
        account_services.reactivate_user(user, actor=staff, now=clock.now)  # sends nothing
    assert recorder.calls == [(user, {"actor": staff, "now": clock.now})]
    assert active_when_sent == [False]  # sent once the account is closed


def test_a_capacity_changing_receiver_vetoes_the_change_beside_the_field(client, db, login_as):
    from tests.courses.test_views import autumn_run, new_run_form

    staff, leader = UserFactory(staff=True), UserFactory(leader=True)
    course_type, venue = CourseTypeFactory(themes=8), VenueFactory()
    run = autumn_run(course_type, staff, venue, leaders=[leader], publish=False)
    asked = []

    def refuse(sender, *, new_capacity, actor, now):
        asked.append((sender.id, sender.capacity, new_capacity, actor.id, now))
        raise CoursehubError("Det finns redan fler anmälda än så.", field="capacity")

    staff_client = login_as(client, staff)
    with events.capacity_changing.connected_to(refuse):
        response = staff_client.post(
            f"/admin/kurser/{run.id}/redigera",
            data=new_run_form(course_type, venue, leader, title=run.title, capacity="5"),
        )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert (
        '<div id="capacity-error" class="invalid-feedback">Det finns redan fler anmälda än så.</div>'
    ) in html
    assert asked == [(run.id, 20, 5, staff.id, app_clock.now())]  # asked before the change
    db.session.expire_all()
    assert db.session.get(CourseRun, run.id).capacity == 20


def test_accepting_an_invitation_sends_invitation_accepted_but_a_reset_does_not(db, clock):
    from coursehub.accounts import services as account_services
    from coursehub.accounts.models import TokenPurpose
    from tests.factories import UserFactory

    invited = account_services.invite_user(
        actor=UserFactory(staff=True),
        full_name="Nils Ny",
        email="nils@exempel.se",
        roles=["leader"],
        now=clock.now,
    )
    heard = []

    def listen(sender, **kw):
        heard.append((sender, kw["actor"], kw["now"]))

    token = _link_token(db, invited.id)
    with events.invitation_accepted.connected_to(listen):
        account_services.set_password_by_link(
            token,
            TokenPurpose.INVITATION,
            password="ett-langt-losenord",
            confirm="ett-langt-losenord",
            now=clock.now,
        )
        account_services.request_password_reset("nils@exempel.se", now=clock.now)
        account_services.set_password_by_link(
            _link_token(db, invited.id),
            TokenPurpose.RESET,
            password="ett-annat-langt-losenord",
            confirm="ett-annat-langt-losenord",
            now=clock.now,
        )
    assert heard == [(invited, invited, clock.now)]


def _link_token(db, user_id):
    import re

    from sqlalchemy import select

    from coursehub.notifications.models import OutboxMessage

    body = db.session.scalars(select(OutboxMessage.body_text).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"/(?:inbjudan|aterstall-losenord)/(\S+)", body).group(1)
