"""coursehub.lib.work: one service call, one commit; a domain error rolls back and is shown."""

import pytest
import sqlalchemy as sa
from flask import get_flashed_messages
from flask_login import current_user, login_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import NotFound
from wtforms import StringField

from coursehub.accounts.models import Municipality
from coursehub.courses.models import CourseRun
from coursehub.errors import CoursehubError, NotFoundError
from coursehub.lib.forms import BaseForm
from coursehub.lib.work import ERROR, actor, attempt, get_by_id, load_or_404
from tests.factories import CourseRunFactory, MunicipalityFactory, UserFactory
from tests.support.sql import count_traffic


class NameForm(BaseForm):
    class Meta:
        csrf = False

    name = StringField()
    code = StringField()


def _municipalities(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Municipality))


def _add(db, name: str) -> Municipality:
    municipality = Municipality(name=name, code="0999", is_member=True)
    db.session.add(municipality)
    db.session.flush()
    return municipality


def _add_then_fail(db, error: CoursehubError):
    def action():
        _add(db, "Halvfärdig")
        raise error

    return action


def test_success_commits_once_and_returns_the_value(app, db):
    before = _municipalities(db)
    with app.test_request_context():
        outcome = attempt(lambda: _add(db, "Ny kommun"))
    assert outcome.ok and outcome.error is None
    assert outcome.value.name == "Ny kommun"
    db.session.rollback()  # nothing left to undo: the work was committed
    assert _municipalities(db) == before + 1
    assert db.session.get(Municipality, outcome.value.id) is not None


def test_a_domain_error_rolls_back_and_stands_beside_its_field(app, db):
    before = _municipalities(db)
    with app.test_request_context(method="POST", data={"name": "x"}):
        form = NameForm()
        outcome = attempt(
            _add_then_fail(db, CoursehubError("Fel kod.", field="code")), form=form, default="name"
        )
        assert not outcome.ok and outcome.value is None
        assert outcome.error.message == "Fel kod."
        assert list(form.code.errors) == ["Fel kod."] and not form.name.errors
        assert get_flashed_messages() == []
    assert _municipalities(db) == before


def test_an_error_without_a_field_goes_beside_the_default_field(app, db):
    with app.test_request_context(method="POST", data={}):
        form = NameForm()
        attempt(_add_then_fail(db, CoursehubError("Något saknas.")), form=form, default="name")
        assert list(form.name.errors) == ["Något saknas."] and not form.form_errors


def test_without_a_form_the_error_is_flashed_with_the_one_error_category(app, db):
    before = _municipalities(db)
    with app.test_request_context():
        outcome = attempt(_add_then_fail(db, CoursehubError("Går inte.")))
        assert get_flashed_messages(with_categories=True) == [(ERROR, "Går inte.")]
    assert ERROR == "error" and not outcome.ok
    assert _municipalities(db) == before


def test_show_and_quiet_leave_the_message_to_the_caller(app, db):
    shown = []
    with app.test_request_context():
        attempt(_add_then_fail(db, CoursehubError("Ett.")), show=shown.append)
        quiet = attempt(_add_then_fail(db, CoursehubError("Två.")), quiet=True)
        assert get_flashed_messages() == []
    assert [error.message for error in shown] == ["Ett."]
    assert quiet.error.message == "Två."


def test_catch_narrows_the_expected_errors(app, db):
    with app.test_request_context(), pytest.raises(CoursehubError):
        attempt(_add_then_fail(db, CoursehubError("Oväntat.")), catch=NotFoundError)
    assert db.session.scalars(select(Municipality).where(Municipality.name == "Halvfärdig")).one()
    db.session.rollback()  # what the 500 handler does with an unexpected error
    with app.test_request_context():
        outcome = attempt(_add_then_fail(db, NotFoundError("Finns inte.")), catch=NotFoundError)
    assert isinstance(outcome.error, NotFoundError)


def test_a_twin_that_committed_first_gets_the_services_own_answer_not_a_500(app, db):
    """A double submit on PostgreSQL: the second insert breaks a unique constraint; run again."""
    existing = MunicipalityFactory(name="Tvilling")
    db.session.commit()
    calls = []

    def add_unless_taken():
        calls.append(len(calls) + 1)
        if (
            len(calls) > 1
            and db.session.scalars(select(Municipality.id).where(Municipality.name == existing.name)).one()
        ):
            raise CoursehubError("Kommunen finns redan.", field="name")
        return _add(db, existing.name)  # the first call checked before the twin committed

    before = _municipalities(db)
    with app.test_request_context(method="POST", data={"name": "x"}):
        form = NameForm()
        outcome = attempt(add_unless_taken, form=form)
    assert calls == [1, 2]
    assert outcome.error is not None and form.name.errors == ["Kommunen finns redan."]
    assert _municipalities(db) == before


def test_an_integrity_error_that_is_no_race_is_not_hidden(app, db):
    existing = MunicipalityFactory(name="Dubblett")
    db.session.commit()
    with app.test_request_context(), pytest.raises(IntegrityError):
        attempt(lambda: _add(db, existing.name))


def test_load_or_404_loads_by_id_and_hides_what_may_not_be_seen(app, db):
    municipality = MunicipalityFactory(name="Eksjö")
    db.session.commit()
    with app.test_request_context():
        assert load_or_404(Municipality, municipality.id) is municipality
        assert load_or_404(Municipality, str(municipality.id)) is municipality
        assert (
            load_or_404(Municipality, municipality.id, allowed=lambda user, row: row.name == "Eksjö")
            is municipality
        )
        for wrong in (municipality.id + 1000, "abc", None, 2**31, 0):
            with pytest.raises(NotFound):
                load_or_404(Municipality, wrong)
        with pytest.raises(NotFound):
            load_or_404(Municipality, municipality.id, allowed=lambda user, row: False)


# What a page reads with its row: a constant of its module, as get_by_id asks.
RUN_WITH_SESSIONS = (joinedload(CourseRun.sessions),)


def test_a_row_loaded_with_options_is_read_by_a_statement_built_once(app, db):
    # session.get with loader options built a new statement on every call (a key page's loader
    # cost more Python than its SQL); the same options now run the same statement object.
    run = CourseRunFactory()
    db.session.commit()
    run_id, meetings = run.id, len(run.sessions)
    executed: list[object] = []

    def seen(conn, clauseelement, *args):
        executed.append(clauseelement)

    sa.event.listen(db.engine, "before_execute", seen)
    try:
        with app.test_request_context():
            for _ in range(2):
                db.session.expunge_all()  # a new request's session: nothing loaded yet
                loaded = load_or_404(CourseRun, run_id, options=RUN_WITH_SESSIONS)
                with count_traffic(db.engine) as traffic:
                    assert len(loaded.sessions) == meetings  # came with the run
                assert traffic.statements == []
            # the session has the run already: no statement at all, as session.get does
            with count_traffic(db.engine) as traffic:
                assert get_by_id(CourseRun, run_id, RUN_WITH_SESSIONS) is loaded
            assert traffic.statements == []
            assert get_by_id(CourseRun, run_id + 1000, RUN_WITH_SESSIONS) is None
    finally:
        sa.event.remove(db.engine, "before_execute", seen)
    first, second = executed[0], executed[1]
    assert first is second, "the statement was built anew for the second load"


def test_actor_is_the_logged_in_user_itself_not_the_proxy(app, db):
    user = UserFactory()
    db.session.commit()
    with app.test_request_context():
        login_user(user)
        assert actor() is user
        assert type(actor()) is type(user) and type(current_user) is not type(user)
