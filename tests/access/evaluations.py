"""Access rules of the evaluations area: staff build forms and open evaluations."""

from coursehub.accounts.models import Role
from tests.access import STAFF, Rule

RULES = [
    Rule("evaluations.forms", STAFF),
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
]
