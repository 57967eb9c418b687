"""Demo data of the evaluations area: a published form for Ett hem att växa i, one for the
continuing-education evenings (each named by its course type), and the yearly network survey with
its three indicator questions. Idempotent: a form already there is left as it is."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from coursehub.courses.models import CourseType
from coursehub.evaluations.models import EvaluationForm, FormPurpose, QuestionKind
from coursehub.evaluations.services import forms
from coursehub.evaluations.services.forms import QuestionDetails
from coursehub.extensions import db

LOW, HIGH = "Inte alls nöjd", "Mycket nöjd"
BASIC_TYPE = "Ett hem att växa i"
EVENING_TYPE = "Fortbildningskväll: Trygga kvällar"


def _rating(text: str, *, indicator: bool = False) -> QuestionDetails:
    return QuestionDetails(
        kind=QuestionKind.RATING, text=text, is_required=True, low_label=LOW, high_label=HIGH,
        is_indicator=indicator,
    )  # fmt: skip


COURSE_END = [
    QuestionDetails(kind=QuestionKind.TEXT, text="Vad var bäst med kursen?"),
    QuestionDetails(kind=QuestionKind.TEXT, text="Vad kan vi göra bättre?"),
    QuestionDetails(kind=QuestionKind.YES_NO, text="Skulle ni rekommendera kursen till andra familjehem?"),
]

FORMS: list[tuple[str, FormPurpose, str | None, list[QuestionDetails]]] = [
    (
        "Utvärdering av Ett hem att växa i",
        FormPurpose.COURSE,
        BASIC_TYPE,
        [
            _rating("Hur nöjda är ni med kursen som helhet?", indicator=True),
            _rating("Hur nöjda är ni med kursledarna?"),
            _rating("Hur väl har kursen förberett er för uppdraget som familjehem?"),
            QuestionDetails(
                kind=QuestionKind.CHOICE,
                text="Vilken träff gav er mest?",
                choices=["Barnets ursprungsfamilj", "Närhet, anknytning och omsorg", "En annan träff"],
            ),
            *COURSE_END,
        ],
    ),
    (
        "Utvärdering av fortbildningskvällar",
        FormPurpose.COURSE,
        EVENING_TYPE,
        [
            _rating("Hur nöjda är ni med kvällen som helhet?", indicator=True),
            _rating("Hur användbart var innehållet i ert uppdrag?"),
            *COURSE_END,
        ],
    ),
    (
        "Årlig enkät till nätverken",
        FormPurpose.SURVEY,
        None,
        [
            _rating(
                "Hur nöjd är du med familjehemsresursens bidrag till kompetensen i länet?", indicator=True
            ),
            _rating(
                "Hur nöjd är du med familjehemsresursens bidrag till samverkan mellan kommunerna?",
                indicator=True,
            ),
            _rating(
                "Hur nöjd är du med familjehemsresursens bidrag till att synliggöra människors erfarenheter?",
                indicator=True,
            ),
            QuestionDetails(kind=QuestionKind.TEXT, text="Vad vill du att familjehemsresursen gör mer av?"),
        ],
    ),
]


def seed(now: datetime) -> None:
    """Add the demo forms that are missing, published, and name them on their course types."""
    for name, purpose, type_name, questions in FORMS:
        if db.session.scalar(select(EvaluationForm.id).where(EvaluationForm.name == name)) is not None:
            continue
        form = forms.create_form(name=name, purpose=purpose, actor=None, now=now)
        version = forms.latest_version(form)
        for details in questions:
            forms.add_question(version, details, actor=None, now=now)
        forms.publish_version(version, actor=None, now=now)
        course_type = (
            db.session.scalar(select(CourseType).where(CourseType.name == type_name)) if type_name else None
        )
        if course_type is not None:
            forms.set_course_type_form(course_type, form, actor=None, now=now)
