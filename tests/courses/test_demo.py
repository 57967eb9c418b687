"""The demo data gives a newcomer a living catalogue, and loading it twice changes nothing."""

from datetime import timedelta

from sqlalchemy import func, select

from coursehub import clock
from coursehub.accounts import demo as accounts_demo
from coursehub.courses import demo
from coursehub.courses.models import CourseRun, CourseSession, CourseType, IntendedFor, RunStatus


def test_demo_seed_is_idempotent_and_spans_a_time_change(db):
    now = clock.now()
    accounts_demo.seed(now)
    demo.seed(now)
    demo.seed(now)
    db.session.commit()

    basic = db.session.scalars(select(CourseType).where(CourseType.name == "Ett hem att växa i")).one()
    assert len(basic.active_themes) == 8
    assert (
        basic.allowed_absences,
        basic.allows_makeup,
        basic.issues_certificate,
        basic.requires_municipal_approval,
    ) == (1, True, True, True)
    runs = db.session.scalars(select(CourseRun)).all()
    assert len(runs) == 5 and {r.status for r in runs} == {RunStatus.PUBLISHED}
    assert db.session.scalar(select(func.count(CourseType.id))) == 4
    # An evening for new social workers, and a lecture for both with its guests.
    audiences = dict(db.session.execute(select(CourseType.name, CourseType.intended_for)).all())
    assert audiences["Introduktion för nya socialsekreterare"] == IntendedFor.PROFESSIONALS
    assert audiences["Barnets bästa i placeringen – föreläsning"] == IntendedFor.BOTH
    lecture = next(r for r in runs if r.title.startswith("Barnets bästa"))
    assert lecture.sessions[0].guests_line.startswith("Eva Lind (Barnpsykiater, Region Jönköpings län)")
    assert all(run.starts_at > now for run in runs)
    assert all("Lars Holm" in [u.full_name for u in run.leaders] for run in runs)
    spanning = [
        run for run in runs if len({clock.to_local(s.starts_at).utcoffset() for s in run.sessions}) == 2
    ]
    assert spanning, "one run's sessions should span summer and winter time"
    assert {clock.to_local(s.starts_at).strftime("%H:%M") for s in spanning[0].sessions} == {"18:00"}
    assert db.session.scalar(select(func.count(CourseSession.id))) == 19
    assert max(r.starts_at for r in runs) < now + timedelta(days=120)
