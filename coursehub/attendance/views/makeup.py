"""Make-up sign-ups from the progress pages, a household's progress for staff, and withdrawing
an advance absence notice."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from coursehub import clock
from coursehub.accounts.models import STAFF_ROLES, Household, Role, User
from coursehub.accounts.permissions import roles_required
from coursehub.attendance import permissions, queries, services
from coursehub.attendance.forms import MakeupForm, WithdrawAbsenceForm, status_labels
from coursehub.attendance.models import AbsenceNotice
from coursehub.attendance.views import bp
from coursehub.attendance.views.progress_rows import ProgressRows
from coursehub.courses.models import CourseSession
from coursehub.errors import CoursehubError, NotFoundError
from coursehub.lib.checks import known
from coursehub.lib.params import get_or_none
from coursehub.lib.work import ERROR, actor, attempt, load_or_404


def _load(form: MakeupForm) -> tuple[CourseSession | None, User | None]:
    if not form.validate():
        return None, None
    return (get_or_none(CourseSession, form.session_id.data), get_or_none(User, form.user_id.data))


def _sign_up(session: CourseSession | None, person: User, household: Household) -> None:
    """Sign `person` of `household` up for `session` and flash the outcome; commit or roll back."""
    name = person.full_name  # read before a rollback expires the row

    def sign_up() -> None:
        if session is None:
            raise CoursehubError(_("Träffen finns inte längre. Välj en annan träff."))
        services.sign_up_for_makeup(session, person, actor=actor(), now=clock.now())

    outcome = attempt(sign_up, quiet=True)
    if isinstance(outcome.error, NotFoundError):
        abort(404)
    if outcome.error is not None:
        flash(
            _(
                "%(name)s kunde inte anmälas: %(reason)s Inget har ändrats.",
                name=name,
                reason=outcome.error.message,
            ),
            ERROR,
        )
        return
    session = known(session, "sign_up() raised for a missing session, returned above")
    flash(
        _(
            "%(name)s är anmäld till %(session)s, %(when)s. Träffen syns under Kommande träffar.",
            name=name,
            session=session.title,
            when=_local(session.starts_at),
        ),
        "success",
    )


def _local(moment: datetime) -> str:
    from flask import current_app

    return current_app.jinja_env.filters["local_datetime"](moment)


@bp.post("/mina-framsteg/igentagning")
@roles_required(Role.FAMILY)
def family_makeup():
    """Sign an adult of the family up for one session of another run, to make up a theme."""
    form = MakeupForm()
    session, person = _load(form)
    # The permission already refuses a person without a household (not the actor's own).
    household = person.household if person is not None else None
    if person is None or household is None or not permissions.can_sign_up_own_makeup(current_user, person):
        abort(404)
    _sign_up(session, person, household)
    return redirect(url_for("attendance.my_progress"), code=303)


@bp.post("/framsteg/igentagning")
@roles_required(Role.MUNICIPAL, *STAFF_ROLES)
def household_makeup():
    """A municipal worker or staff sign an adult up for a make-up session."""
    form = MakeupForm()
    session, person = _load(form)
    household = person.household if person is not None else None
    # The permission refuses a missing household; a household implies its person.
    if (
        person is None
        or household is None
        or not permissions.can_sign_up_household_makeup(current_user, household)
    ):
        abort(404)
    household_id, municipality_id = household.id, household.municipality_id
    _sign_up(session, person, household)
    if permissions.can_view_municipal_progress(current_user) and (
        current_user.municipality_id == municipality_id
    ):
        return redirect(url_for("attendance.municipal_progress", sida=form.page.data or None), code=303)
    return redirect(url_for("attendance.household_progress", household_id=household_id), code=303)


@bp.get("/framsteg/hushall/<int:household_id>")
@roles_required(Role.MUNICIPAL, *STAFF_ROLES)
def household_progress(household_id: int):
    """Show one household's progress, with sessions where missing themes can be made up."""
    household = load_or_404(Household, household_id, allowed=permissions.can_view_household_progress)
    adults = queries.household_adults(household.id)
    progress = queries.progress_for_users([a.id for a in adults])
    return render_template(
        "attendance/household_progress.html",
        household=household,
        adults=adults,
        progress=progress,
        makeup=queries.makeup_candidates(adults, progress, now=clock.now()),
        rows=ProgressRows(
            status_labels(), csrf=generate_csrf(), makeup_action=url_for("attendance.household_makeup")
        ),
    )


@bp.post("/mina-framsteg/franvaro/<int:notice_id>/ta-tillbaka")
@roles_required(Role.FAMILY)
def withdraw_absence(notice_id: int):
    """Take back an advance absence notice; the leaders' sheet no longer shows it."""
    notice = load_or_404(AbsenceNotice, notice_id, allowed=permissions.can_withdraw_absence)
    if not WithdrawAbsenceForm().validate():
        abort(400)
    title, name = notice.session.title, notice.user.full_name
    if attempt(
        lambda: services.withdraw_absence(notice, actor=actor(), now=clock.now()),
        show=lambda error: flash(_("%(reason)s Inget har ändrats.", reason=error.message), ERROR),
    ).ok:
        flash(
            _("Frånvaroanmälan för %(name)s till %(session)s är borttagen.", name=name, session=title),
            "success",
        )
    return redirect(url_for("attendance.my_progress", _anchor="kommande"), code=303)
