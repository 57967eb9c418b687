"""Staff build forms: questions of four kinds in a draft, publishing freezes, a new draft copies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coursehub import clock
from coursehub.evaluations.errors import EvaluationError
from coursehub.evaluations.models import CourseTypeForm, FormPurpose, QuestionKind
from coursehub.evaluations.services import forms
from coursehub.evaluations.services.forms import QuestionDetails
from tests.evaluations.support import published_form, rating
from tests.factories import CourseTypeFactory, UserFactory


def _draft_form():
    form = forms.create_form(
        name="Kvällsutvärdering", purpose=FormPurpose.COURSE, actor=None, now=clock.now()
    )
    return form, forms.latest_version(form)


def test_questions_of_every_kind_are_kept_in_order_with_their_settings(db):
    form, version = _draft_form()
    forms.add_question(version, rating(is_required=True, is_indicator=True), actor=None, now=clock.now())
    forms.add_question(
        version,
        QuestionDetails(kind=QuestionKind.CHOICE, text="Vilken träff?", choices=["Första", " ", "Andra"]),
        actor=None,
        now=clock.now(),
    )
    forms.add_question(
        version, QuestionDetails(kind=QuestionKind.YES_NO, text="Igen?"), actor=None, now=clock.now()
    )
    forms.add_question(
        version, QuestionDetails(kind=QuestionKind.TEXT, text="Övrigt?"), actor=None, now=clock.now()
    )

    db.session.expire_all()
    kinds = [(q.kind, q.is_required, q.is_indicator) for q in version.questions]
    assert kinds == [
        (QuestionKind.RATING, True, True),
        (QuestionKind.CHOICE, False, False),
        (QuestionKind.YES_NO, False, False),
        (QuestionKind.TEXT, False, False),
    ]
    assert (version.questions[0].low_label, version.questions[0].high_label) == (
        "Inte alls nöjd",
        "Mycket nöjd",
    )
    assert [c.text for c in version.questions[1].choices] == ["Första", "Andra"]

    forms.move_question(version.questions[3], up=True, actor=None, now=clock.now())
    db.session.expire_all()
    assert [q.text for q in version.questions] == [
        "Hur nöjda är ni med kursen?",
        "Vilken träff?",
        "Övrigt?",
        "Igen?",
    ]


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (QuestionDetails(kind=QuestionKind.TEXT, text="  "), "text"),
        (QuestionDetails(kind=QuestionKind.CHOICE, text="Vilken?", choices=["Bara en"]), "choices"),
        (QuestionDetails(kind=QuestionKind.YES_NO, text="Nöjd?", is_indicator=True), "is_indicator"),
    ],
)
def test_a_question_that_cannot_work_is_refused_beside_its_field(db, details, field):
    _form, version = _draft_form()
    with pytest.raises(EvaluationError) as refused:
        forms.add_question(version, details, actor=None, now=clock.now())
    assert refused.value.field == field
    assert version.questions == []


def test_a_published_version_never_changes_and_a_new_draft_copies_it(db):
    form = published_form()
    first = forms.latest_version(form)
    with pytest.raises(EvaluationError, match="publicerad"):
        forms.add_question(first, rating(), actor=None, now=clock.now())
    with pytest.raises(EvaluationError):
        forms.update_question(first.questions[0], rating(text="Ny text"), actor=None, now=clock.now())
    with pytest.raises(EvaluationError):
        forms.remove_question(first.questions[0], actor=None, now=clock.now())

    draft = forms.new_draft(form, actor=None, now=clock.now())
    forms.update_question(draft.questions[0], rating(text="Hur nöjda är ni?"), actor=None, now=clock.now())
    db.session.expire_all()

    assert draft.number == 2 and draft.published_at is None
    assert [q.text for q in first.questions][0] == "Hur nöjda är ni med kursen?"
    assert [q.text for q in draft.questions][0] == "Hur nöjda är ni?"
    assert [c.text for c in draft.questions[2].choices] == ["Första", "Sista"]
    assert forms.published_version(form) == first  # new askings use version 1 until 2 is published
    with pytest.raises(EvaluationError, match="redan ett utkast"):
        forms.new_draft(form, actor=None, now=clock.now())


def test_an_empty_draft_cannot_be_published(db):
    _form, version = _draft_form()
    with pytest.raises(EvaluationError, match="minst en fråga"):
        forms.publish_version(version, actor=None, now=clock.now())


def test_a_course_type_names_its_form_and_can_drop_it(db):
    course_type = CourseTypeFactory()
    form = published_form()
    forms.set_course_type_form(course_type, form, actor=None, now=clock.now())
    assert db.session.get(CourseTypeForm, course_type.id).form_id == form.id
    forms.set_course_type_form(course_type, None, actor=None, now=clock.now())
    assert db.session.scalar(select(CourseTypeForm)) is None
    survey = published_form(name="Enkät", purpose=FormPurpose.SURVEY)
    with pytest.raises(EvaluationError):
        forms.set_course_type_form(course_type, survey, actor=None, now=clock.now())


def test_staff_create_a_form_add_a_question_and_publish_it(client, login_as, db):
    login_as(client, UserFactory(staff=True))
    response = client.post(
        "/admin/utvarderingar/formular/nytt", data={"name": "Kvällar", "purpose": "course"}
    )
    assert response.status_code == 302
    form_path = response.location
    new_question = form_path + "/fragor/ny"

    refused = client.post(new_question, data={"kind": "choice", "text": "Vilken?", "choices": "Bara en"})
    assert refused.status_code == 200
    assert "Ange mellan 2 och 20 svarsalternativ, ett per rad." in refused.get_data(as_text=True)

    added = client.post(
        new_question,
        data={
            "kind": "rating",
            "text": "Hur nöjda?",
            "is_required": "y",
            "low_label": "Inte",
            "high_label": "Mycket",
        },
    )
    assert added.status_code == 302
    client.post(form_path + "/publicera")
    page = client.get(form_path).get_data(as_text=True)
    assert "Hur nöjda?" in page
    assert "publicerad" in page
    assert "Lägg till en fråga" not in page
