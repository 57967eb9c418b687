"""Access rules of the evaluations area: staff build forms and open evaluations; a run's leaders
follow its response rate; anyone holding a link answers."""

from coursehub.accounts.models import Role
from tests.access import EVERYONE, STAFF, Rule

RUN_FOLLOWERS = STAFF | {"leader"}


def _form(user):
    from tests.evaluations.support import published_form

    return {"form_id": published_form(name=f"Formulär {id(user)}-{_next()}").id}


def _draft_form(user):
    from coursehub import clock
    from coursehub.evaluations.models import FormPurpose
    from coursehub.evaluations.services import forms

    form = forms.create_form(
        name=f"Utkast {_next()}", purpose=FormPurpose.COURSE, actor=None, now=clock.now()
    )
    return {"form_id": form.id}


def _question(user):
    from coursehub import clock
    from coursehub.evaluations.models import EvaluationForm
    from coursehub.evaluations.services import forms
    from coursehub.extensions import db
    from tests.evaluations.support import rating

    form = db.session.get(EvaluationForm, _draft_form(user)["form_id"])
    question = forms.add_question(forms.latest_version(form), rating(), actor=None, now=clock.now())
    return {"question_id": question.id}


def _course_type(user):
    from tests.factories import CourseTypeFactory

    return {"type_id": CourseTypeFactory().id}


def _run(user):
    """A run the visitor leads when they are a leader."""
    from coursehub.accounts.models import Role
    from tests.factories import CourseRunFactory

    leaders = [user] if user is not None and user.has_role(Role.LEADER) else []
    return {"run_id": CourseRunFactory(leaders=leaders).id}


def _link(user):
    from tests.evaluations.support import open_evaluation

    _evaluation, tokens = open_evaluation(people=1)
    return {"token": tokens[0]}


_counter = iter(range(1, 10**9))


def _next() -> int:
    return next(_counter)


RULES = [
    Rule("evaluations.forms", STAFF),
    Rule("evaluations.new_form", STAFF),
    Rule("evaluations.form", STAFF, args=_form),
    Rule("evaluations.new_question", STAFF, args=_draft_form),
    Rule("evaluations.edit_question", STAFF, args=_question),
    Rule("evaluations.remove_question", STAFF, method="POST", args=_question),
    Rule(
        "evaluations.move_question",
        STAFF,
        method="POST",
        args=_question,
        data=lambda user: {"direction": "upp"},
    ),
    Rule("evaluations.publish", STAFF, method="POST", args=_draft_form),
    Rule("evaluations.new_draft", STAFF, method="POST", args=_form),
    Rule("evaluations.course_types", STAFF),
    Rule("evaluations.set_course_type_form", STAFF, method="POST", args=_course_type),
    Rule("evaluations.run_evaluation", RUN_FOLLOWERS, args=_run),
    Rule("evaluations.open_early", STAFF, method="POST", args=_run),
    Rule("evaluations.answer", EVERYONE, args=_link),
    Rule("evaluations.thanks", EVERYONE),
]


# -- results and the yearly survey (issue 20, points 3 and 5) --------------------------------------

FIGURES = STAFF | {"steering"}


def _evaluated_run(user):
    """A run with an evaluation and five answers; a leader visitor leads it (their own run)."""
    from coursehub.extensions import db
    from tests.evaluations import results_data
    from tests.factories import CourseRunFactory

    run = CourseRunFactory()
    if user is not None and user.has_role(Role.LEADER):
        run.leaders.append(user)
    found = results_data.evaluation(results_data.course_form(name=f"Formulär {run.id}"), run=run)
    results_data.answer_course(found, [5, 4, 3, 2, 1], text="Bra")
    db.session.flush()
    return found


def _result_args(user):
    return {"evaluation_id": _evaluated_run(user).id}


def _chart_args(user):
    found = _evaluated_run(user)
    return {"evaluation_id": found.id, "question_id": found.version.questions[0].id}


def _survey_args(user):
    from tests.evaluations import results_data

    found = results_data.evaluation(results_data.survey_form(), year=2026)
    results_data.answer_survey(found, [(5, 5, 5)] * 5)
    return {"evaluation_id": found.id}


def _course_type_args(user):
    return {"course_type_id": _evaluated_run(user).run.course_type_id}


def _run_args(user):
    return {"run_id": _evaluated_run(user).run_id}


def _with_survey(args):
    """URL arguments of a page that shows the yearly surveys, with one answered survey to show."""

    def build(user):
        _survey_args(user)
        return args

    return build


RESULT_LEADERS = FIGURES | {"leader"}

RULES += [
    Rule("evaluations.results", RESULT_LEADERS, args=_result_args),
    Rule("evaluations.question_chart", RESULT_LEADERS, args=_chart_args),
    Rule(
        "evaluations.results_export", RESULT_LEADERS, args=lambda user: {**_result_args(user), "fmt": "xlsx"}
    ),
    Rule("evaluations.run_results", RESULT_LEADERS, args=_run_args),
    Rule("evaluations.results_overview", FIGURES, args=_with_survey({})),
    Rule("evaluations.course_type_results", FIGURES, args=_course_type_args),
    Rule("evaluations.course_type_chart", FIGURES, args=_course_type_args),
    Rule(
        "evaluations.course_type_export", FIGURES, args=lambda user: {**_course_type_args(user), "fmt": "csv"}
    ),
    Rule("evaluations.terms_chart", FIGURES),
    Rule("evaluations.trend_chart", FIGURES, args=_with_survey({"number": 1})),
    Rule("evaluations.trend_export", FIGURES, args=lambda user: {"fmt": "xlsx"}),
    Rule("evaluations.quotes", STAFF),
    Rule("evaluations.surveys", STAFF),
    Rule("evaluations.send_survey", STAFF),
]
