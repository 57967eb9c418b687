"""Staff pages for evaluation forms: versions, questions, publishing, and each course type's form."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from coursehub import clock
from coursehub.accounts.models import STAFF_ROLES
from coursehub.accounts.permissions import roles_required
from coursehub.courses.models import CourseType
from coursehub.evaluations import queries
from coursehub.evaluations.forms import (
    KIND_LABELS,
    ButtonForm,
    CourseTypeFormForm,
    MoveForm,
    NewFormForm,
    QuestionForm,
)
from coursehub.evaluations.models import EvaluationForm, FormPurpose, Question, QuestionKind
from coursehub.evaluations.services import forms as services
from coursehub.evaluations.views import bp
from coursehub.lib.checks import known
from coursehub.lib.forms import required
from coursehub.lib.params import page_arg
from coursehub.lib.work import actor, attempt, load_or_404

staff_only = roles_required(*STAFF_ROLES)


@bp.get("/admin/utvarderingar/formular")
@staff_only
def forms() -> str:
    """List the evaluation forms, a page at a time."""
    return render_template("evaluations/forms.html", page=queries.forms_page(page=page_arg()))


@bp.route("/admin/utvarderingar/formular/nytt", methods=["GET", "POST"])
@staff_only
def new_form() -> str | WerkzeugResponse:
    """Create a form; its first version is a draft to add questions to."""
    form = NewFormForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.create_form(
                name=required(form.name),
                purpose=FormPurpose(form.purpose.data),
                actor=actor(),
                now=clock.now(),
            ),
            form=form,
        )
        if outcome.ok:
            created = known(outcome.value, "create_form returns the form it made")
            flash(_("Formuläret är skapat. Lägg till frågorna."), "success")
            return redirect(url_for("evaluations.form", form_id=created.id))
    return render_template("evaluations/form_new.html", form=form)


@bp.get("/admin/utvarderingar/formular/<int:form_id>")
@staff_only
def form(form_id: int) -> str:
    """Show a form's newest version: a draft with its editing buttons, or the published questions."""
    evaluation_form = load_or_404(EvaluationForm, form_id)
    version = services.latest_version(evaluation_form)
    return render_template(
        "evaluations/form.html",
        evaluation_form=evaluation_form,
        version=version,
        kind_labels=KIND_LABELS,
        button=ButtonForm(),
    )


def _details(form: QuestionForm) -> services.QuestionDetails:
    return services.QuestionDetails(
        kind=QuestionKind(form.kind.data),
        text=required(form.text),
        is_required=form.is_required.data,
        low_label=form.low_label.data or "",
        high_label=form.high_label.data or "",
        is_indicator=form.is_indicator.data,
        choices=(form.choices.data or "").splitlines(),
    )


@bp.route("/admin/utvarderingar/formular/<int:form_id>/fragor/ny", methods=["GET", "POST"])
@staff_only
def new_question(form_id: int) -> str | WerkzeugResponse:
    """Add a question at the end of the form's draft."""
    evaluation_form = load_or_404(EvaluationForm, form_id)
    version = services.latest_version(evaluation_form)
    form = QuestionForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.add_question(version, _details(form), actor=actor(), now=clock.now()), form=form
        )
        if outcome.ok:
            flash(_("Frågan är tillagd."), "success")
            return redirect(url_for("evaluations.form", form_id=form_id))
    return render_template(
        "evaluations/question.html", form=form, evaluation_form=evaluation_form, question=None
    )


@bp.route("/admin/utvarderingar/fragor/<int:question_id>", methods=["GET", "POST"])
@staff_only
def edit_question(question_id: int) -> str | WerkzeugResponse:
    """Change a question of a draft."""
    question = load_or_404(Question, question_id)
    evaluation_form = question.version.form
    form = QuestionForm(obj=question)
    if request.method == "GET":
        form.choices.data = "\n".join(c.text for c in question.choices)
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.update_question(question, _details(form), actor=actor(), now=clock.now()),
            form=form,
        )
        if outcome.ok:
            flash(_("Frågan är ändrad."), "success")
            return redirect(url_for("evaluations.form", form_id=evaluation_form.id))
    return render_template(
        "evaluations/question.html", form=form, evaluation_form=evaluation_form, question=question
    )


@bp.post("/admin/utvarderingar/fragor/<int:question_id>/ta-bort")
@staff_only
def remove_question(question_id: int) -> WerkzeugResponse:
    """Remove a question from a draft."""
    question = load_or_404(Question, question_id)
    form_id = question.version.form_id
    if ButtonForm().validate_on_submit():
        if attempt(lambda: services.remove_question(question, actor=actor(), now=clock.now())).ok:
            flash(_("Frågan är borttagen."), "success")
    return redirect(url_for("evaluations.form", form_id=form_id))


@bp.post("/admin/utvarderingar/fragor/<int:question_id>/flytta")
@staff_only
def move_question(question_id: int) -> WerkzeugResponse:
    """Move a question of a draft one place up or down."""
    question = load_or_404(Question, question_id)
    form_id = question.version.form_id
    form = MoveForm()
    if form.validate_on_submit():
        up = form.direction.data == "upp"
        attempt(lambda: services.move_question(question, up=up, actor=actor(), now=clock.now()))
    return redirect(url_for("evaluations.form", form_id=form_id) + f"#fraga-{question_id}")


@bp.post("/admin/utvarderingar/formular/<int:form_id>/publicera")
@staff_only
def publish(form_id: int) -> WerkzeugResponse:
    """Publish the form's draft: it never changes again."""
    evaluation_form = load_or_404(EvaluationForm, form_id)
    version = services.latest_version(evaluation_form)
    if ButtonForm().validate_on_submit():
        if attempt(lambda: services.publish_version(version, actor=actor(), now=clock.now())).ok:
            flash(_("Versionen är publicerad."), "success")
    return redirect(url_for("evaluations.form", form_id=form_id))


@bp.post("/admin/utvarderingar/formular/<int:form_id>/nytt-utkast")
@staff_only
def new_draft(form_id: int) -> WerkzeugResponse:
    """Start a new draft as a copy of the last published version."""
    evaluation_form = load_or_404(EvaluationForm, form_id)
    if ButtonForm().validate_on_submit():
        if attempt(lambda: services.new_draft(evaluation_form, actor=actor(), now=clock.now())).ok:
            flash(_("Ett nytt utkast är skapat. Ändra det och publicera."), "success")
    return redirect(url_for("evaluations.form", form_id=form_id))


def _type_form(
    course_type: CourseType, chosen: dict[int, int], forms: list[EvaluationForm]
) -> CourseTypeFormForm:
    form = CourseTypeFormForm(prefix=f"typ{course_type.id}", formdata=None)
    form.form_id.choices = [SelectChoice(0, _("Ingen utvärdering"))] + [
        SelectChoice(f.id, f.name) for f in forms
    ]
    form.form_id.data = chosen.get(course_type.id, 0)
    return form


@bp.get("/admin/utvarderingar/kurstyper")
@staff_only
def course_types() -> str:
    """Show which form each course type's runs are evaluated with."""
    chosen = queries.course_type_forms()
    forms_ = queries.course_forms()
    types = queries.course_types()
    return render_template(
        "evaluations/course_types.html",
        rows=[(t, _type_form(t, chosen, forms_)) for t in types],
    )


@bp.post("/admin/utvarderingar/kurstyper/<int:type_id>")
@staff_only
def set_course_type_form(type_id: int) -> WerkzeugResponse:
    """Name (or clear) the form a course type's runs are evaluated with."""
    course_type = load_or_404(CourseType, type_id)
    form = CourseTypeFormForm(prefix=f"typ{type_id}")
    form.form_id.choices = [SelectChoice(0, "")] + [
        SelectChoice(f.id, f.name) for f in queries.course_forms()
    ]
    if form.validate_on_submit():
        chosen = load_or_404(EvaluationForm, form.form_id.data) if form.form_id.data else None
        if attempt(
            lambda: services.set_course_type_form(course_type, chosen, actor=actor(), now=clock.now())
        ).ok:
            flash(_("Kurstypens utvärderingsformulär är sparat."), "success")
    else:
        flash(_("Välj bland alternativen som visas."), "error")
    return redirect(url_for("evaluations.course_types"))
