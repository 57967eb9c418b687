"""Helpers of the evaluations tests: a published form, a finished run with attendees, a link."""

from __future__ import annotations

import itertools
from datetime import timedelta

from coursehub import clock
from coursehub.accounts.models import Role
from coursehub.attendance.models import AttendanceMark, AttendanceStatus
from coursehub.evaluations.models import EvaluationForm, FormPurpose, QuestionKind
from coursehub.evaluations.services import asking, forms
from coursehub.evaluations.services.forms import QuestionDetails
from coursehub.extensions import db
from tests.factories import (
    CourseRunFactory,
    CourseTypeFactory,
    EnrollmentFactory,
    HouseholdFactory,
    UserFactory,
)


def rating(text: str = "Hur nöjda är ni med kursen?", **kwargs) -> QuestionDetails:
    return QuestionDetails(
        kind=QuestionKind.RATING, text=text, low_label="Inte alls nöjd", high_label="Mycket nöjd", **kwargs
    )


_NUMBERS = itertools.count(1)


def published_form(
    *questions: QuestionDetails, name: str | None = None, purpose: FormPurpose = FormPurpose.COURSE
) -> EvaluationForm:
    """A form whose version 1 holds `questions` (a required rating, a choice, a text by default)."""
    now = clock.now()
    name = name or f"Kursutvärdering {next(_NUMBERS)}"
    form = forms.create_form(name=name, purpose=purpose, actor=None, now=now)
    version = forms.latest_version(form)
    for details in questions or (
        rating(is_required=True, is_indicator=True),
        QuestionDetails(kind=QuestionKind.YES_NO, text="Skulle ni rekommendera kursen?"),
        QuestionDetails(kind=QuestionKind.CHOICE, text="Vilken träff gav mest?", choices=["Första", "Sista"]),
        QuestionDetails(kind=QuestionKind.TEXT, text="Vad var bäst?"),
    ):
        forms.add_question(version, details, actor=None, now=now)
    forms.publish_version(version, actor=None, now=now)
    return form


def family_member(**kwargs):
    return UserFactory(household=HouseholdFactory(), roles=[Role.FAMILY], **kwargs)


def present(session, user, status: AttendanceStatus = AttendanceStatus.PRESENT) -> None:
    db.session.add(AttendanceMark(session=session, user_id=user.id, status=status, recorded_at=clock.now()))
    db.session.flush()


def finished_run(form: EvaluationForm | None = None, *, themes: int = 2, **kwargs):
    """A published run of a course type evaluated with `form`, its sessions over (a week ago)."""
    course_type = CourseTypeFactory(themes=themes)
    if form is not None:
        forms.set_course_type_form(course_type, form, actor=None, now=clock.now())
    start = (clock.now() - timedelta(weeks=themes + 1)).replace(hour=16, minute=0, second=0, microsecond=0)
    return CourseRunFactory(course_type=course_type, sessions__start=start, **kwargs)


def attendee(run, *, session_index: int = 0):
    """A participant of `run`'s own sign-up who was present at one meeting."""
    person = family_member()
    EnrollmentFactory(run=run, household=person.household, persons=[person])
    present(run.sessions[session_index], person)
    return person


def open_evaluation(form: EvaluationForm | None = None, *, people: int = 1):
    """An open survey-style evaluation of `form` with `people` invited; returns (evaluation, tokens)."""
    form = form or published_form()
    evaluation = asking.create_evaluation(
        forms.published_version(form), title="Utvärdering", survey_year=2026, now=clock.now()
    )
    tokens = []
    for _ in range(people):
        user = UserFactory(member=True)
        token, _hash = asking.new_token()
        tokens.append((user, token))
    _invite_with_tokens(evaluation, tokens)
    # A refused answer rolls the request back, and the test shares the request's session.
    db.session.commit()
    return evaluation, [token for _user, token in tokens]


def _invite_with_tokens(evaluation, tokens) -> None:
    """Invite people with links the test knows (the real invite mails the token, keeps the hash)."""
    from coursehub.evaluations.models import Invitation

    for user, token in tokens:
        db.session.add(
            Invitation(
                evaluation_id=evaluation.id,
                user_id=user.id,
                token_hash=asking.hash_token(token),
                created_at=clock.now(),
            )
        )
    evaluation.invited_count += len(tokens)
    db.session.flush()


def answers_for(evaluation, **overrides) -> dict[str, str]:
    """A complete, valid set of posted answers for the evaluation's questions."""
    posted = {}
    for question in evaluation.version.questions:
        name = f"q{question.id}"
        if question.kind == QuestionKind.RATING:
            posted[name] = "5"
        elif question.kind == QuestionKind.YES_NO:
            posted[name] = "ja"
        elif question.kind == QuestionKind.CHOICE:
            posted[name] = str(question.choices[0].id)
        else:
            posted[name] = "Superbra föreläsare, tydliga, med humor."
    posted.update(overrides)
    return posted


def token_from_outbox(recipient: str) -> str:
    """Return the link token of the newest evaluation mail to `recipient`."""
    import re

    from sqlalchemy import select

    from coursehub.notifications.models import OutboxMessage

    body = db.session.scalars(
        select(OutboxMessage.body_text)
        .where(OutboxMessage.recipient == recipient, OutboxMessage.dedupe_key.like("evaluations.%"))
        .order_by(OutboxMessage.id.desc())
    ).first()
    found = re.search(r"/utvardering/([A-Za-z0-9_-]+)", body or "")
    assert found, f"no evaluation link mailed to {recipient}"
    return found.group(1)


def enrol_makeup(session, *people):
    """A make-up sign-up of `people` (one household) for one session of another run."""
    return EnrollmentFactory(
        run=session.run,
        household=people[0].household,
        persons=list(people),
        makeup_session=session,
        scope=f"session:{session.id}",
    )
