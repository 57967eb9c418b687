"""A case's page (data, history, checklists, checks, notes, requirements) and the staff's work on it."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from coursehub import clock
from coursehub.accounts.models import User
from coursehub.lib.params import as_id, get_or_none
from coursehub.lib.work import actor, attempt, load_or_404
from coursehub.recruitment import forms, permissions, queries
from coursehub.recruitment.labels import (
    CHECK_OUTCOME_LABELS,
    KIND_LABELS,
    REGISTER_LABELS,
    REQUIREMENT_OUTCOME_LABELS,
    STEP_LABELS,
)
from coursehub.recruitment.models import (
    BasicRequirement,
    Case,
    CaseAdult,
    CaseChild,
    ChecklistKind,
    CheckOutcome,
    Register,
    RequirementOutcome,
    Step,
)
from coursehub.recruitment.registers import children_to_check
from coursehub.recruitment.services import cases as services
from coursehub.recruitment.services import checks as check_services
from coursehub.recruitment.views import bp

STEPS = list(Step)


def _next_step(case: Case) -> Step | None:
    return services.next_step_by_hand(case)


def _people(case: Case) -> list[tuple[str, str]]:
    """The adults and the children to check, as (value, label) choices: "adult-3", "child-4"."""
    age = int(current_app.config["COURSEHUB_RECRUITMENT_CHECK_AGE"])
    choices = [("", _("Välj"))] + [(f"adult-{a.id}", a.full_name) for a in case.adults]
    choices += [(f"child-{c.id}", _("Barn, %(age)d år", age=c.age)) for c in children_to_check(case, age)]
    return choices


def _person(case: Case, value: str | None) -> CaseAdult | CaseChild | None:
    kind, _sep, ident = (value or "").partition("-")
    number = as_id(ident)
    people: list[Any] = (
        list(case.adults) if kind == "adult" else list(case.children) if kind == "child" else []
    )
    return next((person for person in people if person.id == number), None)


def _forms(case: Case, file: queries.CaseFile) -> dict[str, Any]:
    people = _people(case)
    identity = forms.IdentityNumberForm(prefix="pnr")
    identity.person.choices = people
    check = forms.RegisterCheckForm(prefix="reg")
    check.person.choices = people
    return {
        "move_form": forms.MoveForm(prefix="flytta"),
        "close_form": forms.CloseForm(prefix="avsluta"),
        "assign_form": forms.AssignForm(
            prefix="tilldela", staff=queries.staff_members(), data={"staff_id": case.assigned_to_id}
        ),
        "note_form": forms.NoteForm(prefix="anteckning"),
        "checklist_form": forms.ChecklistForm(prefix="lista", adults=case.adults),
        "identity_form": identity,
        "check_form": check,
        # The active ones of the requirements the page lists anyway (in the same order).
        "requirement_form": forms.RequirementForm(
            prefix="krav", requirements=[r for r in file.requirements if r.is_active]
        ),
    }


def _render(case: Case, status: int = 200, **given: Any) -> Any:
    file = queries.case_file(case)
    context = _forms(case, file)
    context.update(given)
    age = int(current_app.config["COURSEHUB_RECRUITMENT_CHECK_AGE"])
    return (
        render_template(
            "recruitment/case.html",
            case=case,
            file=file,
            next_step=_next_step(case),
            checked_children=children_to_check(case, age),
            check_age=age,
            today=clock.to_local(clock.now()).date(),
            step_labels=STEP_LABELS,
            kind_labels=KIND_LABELS,
            register_labels=REGISTER_LABELS,
            outcome_labels=CHECK_OUTCOME_LABELS,
            requirement_labels=REQUIREMENT_OUTCOME_LABELS,
            registers=list(Register),
            **context,
        ),
        status,
    )


def _done(case: Case, message: str, anchor: str) -> Any:
    flash(message, "success")
    return redirect(url_for("recruitment.case", case_id=case.id, _anchor=anchor))


@bp.get("/rekrytering/arenden/<int:case_id>")
@permissions.case_reader_required("case")
def case(case_id: int):
    """The case: the family's data, the step history, checklists, checks, notes and requirements."""
    # The reads of its notes and checks are logged in the case's commit (one, not three).
    found = permissions.load_case(
        case_id, what="case", also=("notes", "checks"), options=queries.CASE_PAGE_LOADS
    )
    return _render(found)


def _load(case_id: int) -> Case:
    return load_or_404(Case, case_id)


@bp.post("/rekrytering/arenden/<int:case_id>/flytta")
@permissions.case_reader_required("case")
def move(case_id: int):
    """Move the case to the next step."""
    found = _load(case_id)
    form = forms.MoveForm(prefix="flytta")
    if form.validate_on_submit():
        wanted = form.to_step.data or ""
        to_step = Step(wanted) if wanted in set(Step) else None
        if to_step is None:
            form.to_step.errors = [_("Välj nästa steg.")]
        elif attempt(
            lambda: services.move_case(found, to_step, actor=actor(), now=clock.now()),
            form=form,
            default="to_step",
        ).ok:
            return _done(found, _("Ärendet är flyttat till nästa steg."), "steg")
    return _render(found, 400, move_form=form)


@bp.post("/rekrytering/arenden/<int:case_id>/avsluta")
@permissions.case_reader_required("case")
def close(case_id: int):
    """Close the case, with a reason."""
    found = _load(case_id)
    form = forms.CloseForm(prefix="avsluta")
    if (
        form.validate_on_submit()
        and attempt(
            lambda: services.close_case(found, form.reason.data or "", actor=actor(), now=clock.now()),
            form=form,
            default="reason",
        ).ok
    ):
        return _done(found, _("Ärendet är avslutat."), "steg")
    return _render(found, 400, close_form=form)


@bp.post("/rekrytering/arenden/<int:case_id>/handlaggare")
@permissions.case_reader_required("case")
def assign(case_id: int):
    """Give the case to a staff member."""
    found = _load(case_id)
    form = forms.AssignForm(prefix="tilldela", staff=queries.staff_members())
    if form.validate_on_submit():
        staff = get_or_none(User, form.staff_id.data)
        if attempt(
            lambda: services.assign_case(found, staff, actor=actor()), form=form, default="staff_id"
        ).ok:
            return _done(found, _("Handläggaren är sparad."), "uppgifter")
    return _render(found, 400, assign_form=form)


@bp.post("/rekrytering/arenden/<int:case_id>/anteckningar")
@permissions.case_reader_required("case")
def add_note(case_id: int):
    """Write a note on the case."""
    found = _load(case_id)
    form = forms.NoteForm(prefix="anteckning")
    if (
        form.validate_on_submit()
        and attempt(
            lambda: services.add_note(found, form.body.data or "", actor=actor(), now=clock.now()),
            form=form,
            default="body",
        ).ok
    ):
        return _done(found, _("Anteckningen är sparad."), "anteckningar")
    return _render(found, 400, note_form=form)


@bp.post("/rekrytering/arenden/<int:case_id>/checklista")
@permissions.case_reader_required("case")
def record_checklist(case_id: int):
    """Record a checklist item: the interview, a BRA-fam received, the home visit, a reference."""
    found = _load(case_id)
    form = forms.ChecklistForm(prefix="lista", adults=found.adults)
    if form.validate_on_submit():
        adult = next((a for a in found.adults if a.id == form.adult_id.data), None)
        if attempt(
            lambda: check_services.record_checklist_entry(
                found,
                ChecklistKind(form.kind.data),
                done_on=form.done_on.data,
                actor=actor(),
                now=clock.now(),
                adult=adult,
                go_on=form.decision(),
                summary=form.summary.data or "",
                reference_name=form.reference_name.data or "",
                reference_relation=form.reference_relation.data or "",
            ),
            form=form,
            default="done_on",
        ).ok:
            return _done(found, _("Det är antecknat i checklistan."), "checklista")
    return _render(found, 400, checklist_form=form)


@bp.post("/rekrytering/arenden/<int:case_id>/personnummer")
@permissions.case_reader_required("case")
def set_identity_number(case_id: int):
    """Store an adult's or a child's identity number, for the register checks."""
    found = _load(case_id)
    form = forms.IdentityNumberForm(prefix="pnr")
    form.person.choices = _people(found)
    if form.validate_on_submit():
        person = _person(found, form.person.data)
        if person is None:
            form.person.errors = [_("Välj en person.")]
        elif attempt(
            lambda: check_services.set_identity_number(
                found, person, form.identity_number.data or "", actor=actor(), now=clock.now()
            ),
            form=form,
            default="identity_number",
        ).ok:
            return _done(found, _("Personnumret är sparat."), "kontroller")
    return _render(found, 400, identity_form=form)


@bp.post("/rekrytering/arenden/<int:case_id>/registerkontroll")
@permissions.case_reader_required("case")
def record_check(case_id: int):
    """Record one register check: date, outcome; never the document."""
    found = _load(case_id)
    form = forms.RegisterCheckForm(prefix="reg")
    form.person.choices = _people(found)
    if form.validate_on_submit():
        person = _person(found, form.person.data)
        if person is None:
            form.person.errors = [_("Välj en person.")]
        elif attempt(
            lambda: check_services.record_register_check(
                found,
                person,
                Register(form.register.data),
                CheckOutcome(form.outcome.data),
                checked_on=form.checked_on.data,
                actor=actor(),
                now=clock.now(),
            ),
            form=form,
            default="checked_on",
        ).ok:
            return _done(found, _("Registerkontrollen är sparad."), "kontroller")
    return _render(found, 400, check_form=form)


@bp.post("/rekrytering/arenden/<int:case_id>/grundkrav")
@permissions.case_reader_required("case")
def record_requirement(case_id: int):
    """Record whether the family meets one of the basic requirements."""
    found = _load(case_id)
    form = forms.RequirementForm(prefix="krav", requirements=queries.requirements())
    if form.validate_on_submit():
        requirement = get_or_none(BasicRequirement, form.requirement_id.data)
        if attempt(
            lambda: services.record_requirement(
                found, requirement, RequirementOutcome(form.outcome.data), actor=actor(), now=clock.now()
            ),
            form=form,
            default="requirement_id",
        ).ok:
            return _done(found, _("Bedömningen är sparad."), "grundkrav")
    return _render(found, 400, requirement_form=form)
