"""Benchmark data of the evaluations area: the demo's forms, an evaluation of every finished run,
the yearly survey of each year, and their anonymous answers.

The rows are those the app itself leaves behind. A run's evaluation opens when the hourly job
completes the run (services/course.py) and invites the people of its sign-ups who were present at
a meeting; the reminder job and the closing job follow as they run each day (services/asking.py).
The closing job deletes the answered list, so only evaluations not yet closed keep their
invitations; a closed one keeps its `invited_count`, its answers and the figures the job counted
from them (asking.count_tallies). The yearly survey goes to the
networks' members and the professionals (services/survey.py), not to the families. Responses are
written in the order of answering, under a random key, and never from the invitation they answer.
"""

from __future__ import annotations

from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from coursehub.accounts.models import User, UserRole
from coursehub.attendance.models import AttendanceMark, AttendanceStatus
from coursehub.clock import to_local
from coursehub.courses.models import CourseRun, CourseSession, CourseType, RunStatus
from coursehub.evaluations import demo
from coursehub.evaluations.models import (
    RATING_HIGH,
    RATING_LOW,
    RESPONSE_KEY_LENGTH,
    TITLE_MAX,
    Answer,
    Choice,
    CourseTypeForm,
    Evaluation,
    EvaluationForm,
    FormPurpose,
    FormVersion,
    Invitation,
    Question,
    QuestionKind,
    Response,
)
from coursehub.evaluations.services.asking import count_tallies
from coursehub.evaluations.services.survey import SURVEY_ROLES
from coursehub.extensions import db
from coursehub.forum.models import NetworkMembership
from coursehub.lib.bench import BATCH, BenchContext
from coursehub.lib.localtime import local_moment

# When the daily jobs run (evaluations/__init__.py): the reminder, and closing with the answered list.
REMINDER_JOB = time(9, 30)
CLOSING_JOB = time(0, 15)
SURVEY_SENT = time(9, 0)  # staff send the year's survey on a workday morning in late autumn
ANSWER_RATE = (0.5, 2 / 3)  # of those invited, per evaluation
BEFORE_REMINDER = 0.75  # of those who answer, the share who do so before the reminder
QUOTABLE = 0.35  # of responses, the share whose writers let their texts be quoted
OPTIONAL_ANSWERED = 0.9  # a question that is not required is answered this often
YES_SHARE = 0.88
WRITES_TEXT = 0.3  # a free-text question gets a text this often
# Cumulative weights of the answers 1-5 on a rating question, one profile per evaluation: most
# runs are liked, some less so, so that runs and half-years differ in the comparisons.
RATING_PROFILES = ((1, 3, 13, 50, 100), (2, 7, 27, 72, 100), (5, 17, 47, 82, 100))
PROFILE_WEIGHTS = (0.5, 0.35, 0.15)

# Free-text answers, by the question they answer (the demo forms' texts), written for the generator.
FREE_TEXTS = {
    "Vad var bäst med kursen?": (
        "Att få träffa andra familjehem och höra hur de har det.",
        "Kursledarna lyssnade och tog sig tid för våra frågor.",
        "Samtalen i små grupper gav oss mest.",
        "Nu förstår vi bättre varför barnet reagerar som det gör.",
        "Uppgifterna mellan träffarna fick oss att prata med varandra hemma.",
        "En bra blandning av kunskap och egna erfarenheter.",
        "Träffen om anknytning var den vi hade mest nytta av.",
        "Det kändes tryggt och välkomnande redan första kvällen.",
        "Konkreta tips som vi redan har prövat hemma.",
        "Fikat och den lugna stämningen.",
        "Att man fick fråga om allt utan att känna sig dum.",
        "Materialet var lätt att förstå.",
    ),
    "Vad kan vi göra bättre?": (
        "Kvällarna blev lite långa efter en hel arbetsdag.",
        "Mer tid för frågor och samtal.",
        "Skicka ut materialet några dagar före träffen.",
        "Ljudet i lokalen var dåligt och det var svårt att höra.",
        "Fler exempel från riktiga placeringar.",
        "Tekniken krånglade för oss som var med på distans.",
        "En uppföljningsträff efter några månader vore bra.",
        "Det fanns för få parkeringsplatser vid lokalen.",
        "Lite för mycket innehåll på för kort tid.",
        "Inget, det var bra som det var.",
        "Tydligare besked om vad vi skulle göra mellan träffarna.",
        "Gärna fler pauser.",
    ),
    "Vad vill du att familjehemsresursen gör mer av?": (
        "Fler gemensamma utbildningsdagar för handläggare.",
        "Handledning i grupp för nya familjehem.",
        "Samla goda exempel från kommunerna och sprid dem.",
        "Fler nätverksträffar på plats och inte bara digitalt.",
        "Hjälp oss att hitta fler jourhem.",
        "Mer stöd kring umgänge med föräldrar.",
        "Fortbildning om barn med neuropsykiatriska svårigheter.",
        "Låt familjehemmen själva berätta på konferenserna.",
        "Gemensamma mallar för uppföljning.",
        "Fortsätt som nu, det fungerar bra.",
    ),
}
OTHER_TEXTS = ("Tack för ett bra upplägg.", "Inget att tillägga.", "Mycket lärorikt.")


@dataclass(frozen=True)
class _Asked:
    """A question of a generated version, with what its answers are drawn from."""

    id: int
    kind: QuestionKind
    is_required: bool
    choice_ids: tuple[int, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True)
class _Version:
    """A generated form's one published version."""

    id: int
    form_id: int
    name: str
    purpose: FormPurpose
    course_type: str | None  # the demo's course type the form is for
    questions: tuple[_Asked, ...]


@dataclass(frozen=True)
class _Asking:
    """An evaluation to generate: what is asked, of whom, from when."""

    version: _Version
    title: str
    opens_at: datetime
    invitees: list[int]
    run_id: int | None = None
    survey_year: int | None = None


def seed(ctx: BenchContext) -> None:
    """Add the forms, each finished run's evaluation, a survey per year, and the answers."""
    versions = _forms(ctx)
    basic = next(v for v in versions if v.course_type == demo.BASIC_TYPE)
    evening = next(v for v in versions if v.purpose == FormPurpose.COURSE and v is not basic)
    survey = next(v for v in versions if v.purpose == FormPurpose.SURVEY)
    _link_course_types(ctx, basic, evening)
    askings = _course_askings(ctx, basic, evening) + _survey_askings(ctx, survey)
    askings.sort(key=lambda a: a.opens_at)  # ids in the order the app would have opened them
    _ask(ctx, askings)


# -- forms ---------------------------------------------------------------------------------------


def _forms(ctx: BenchContext) -> list[_Version]:
    """Insert the demo's forms, each with one published version; return the versions."""
    form_id = ctx.next_id(EvaluationForm.__table__)
    version_id = ctx.next_id(FormVersion.__table__)
    question_id = ctx.next_id(Question.__table__)
    choice_id = ctx.next_id(Choice.__table__)
    created = ctx.now - timedelta(days=365 * ctx.scale.years + 200)  # before the first run ends
    forms: list[dict[str, Any]] = []
    form_versions: list[dict[str, Any]] = []
    questions: list[dict[str, Any]] = []
    choices: list[dict[str, Any]] = []
    made: list[_Version] = []
    for name, purpose, type_name, details in demo.FORMS:
        forms.append({"id": form_id, "name": name, "purpose": purpose.value, "created_at": created})
        form_versions.append(
            {
                "id": version_id,
                "form_id": form_id,
                "number": 1,
                "created_at": created,
                "published_at": created + timedelta(days=2),
            }
        )
        asked: list[_Asked] = []
        for position, question in enumerate(details, start=1):
            is_rating = question.kind == QuestionKind.RATING
            questions.append(
                {
                    "id": question_id,
                    "version_id": version_id,
                    "position": position,
                    "kind": question.kind.value,
                    "text": question.text,
                    "is_required": question.is_required,
                    "low_label": question.low_label if is_rating else "",
                    "high_label": question.high_label if is_rating else "",
                    "is_indicator": question.is_indicator,
                }
            )
            ids = tuple(range(choice_id, choice_id + len(question.choices)))
            choices.extend(
                {"id": cid, "question_id": question_id, "position": number, "text": text}
                for number, (cid, text) in enumerate(zip(ids, question.choices, strict=True), start=1)
            )
            choice_id += len(ids)
            texts = FREE_TEXTS.get(question.text, OTHER_TEXTS)
            asked.append(_Asked(question_id, question.kind, question.is_required, ids, texts))
            question_id += 1
        made.append(_Version(version_id, form_id, name, purpose, type_name, tuple(asked)))
        form_id += 1
        version_id += 1
    ctx.insert(EvaluationForm.__table__, forms)
    ctx.insert(FormVersion.__table__, form_versions)
    ctx.insert(Question.__table__, questions)
    ctx.insert(Choice.__table__, choices)
    return made


def _link_course_types(ctx: BenchContext, basic: _Version, evening: _Version) -> None:
    """Evaluate the basic training with its form and every evening with the evenings' form."""
    basic_type = ctx.targets["basic_type_id"]
    type_ids = db.session.scalars(sa.select(CourseType.id).order_by(CourseType.id)).all()
    ctx.insert(
        CourseTypeForm.__table__,
        [
            {"course_type_id": tid, "form_id": (basic if tid == basic_type else evening).form_id}
            for tid in type_ids
        ],
    )


# -- who is asked, and when ------------------------------------------------------------------------


def _course_askings(ctx: BenchContext, basic: _Version, evening: _Version) -> list[_Asking]:
    """Return the evaluation of each finished run, opened by the hourly job after its last meeting."""
    finished = CourseRun.status == RunStatus.COMPLETED
    titles = dict(db.session.execute(sa.select(CourseRun.id, CourseRun.title).where(finished)).all())
    # queries.run_attendees in one query for every run: present at a meeting at least once (the
    # bench marks only the run's own confirmed people, so no make-up visitor needs leaving out).
    present = db.session.execute(
        sa.select(CourseSession.run_id, AttendanceMark.user_id)
        .select_from(AttendanceMark)
        .join(CourseSession, CourseSession.id == AttendanceMark.session_id)
        .join(CourseRun, CourseRun.id == CourseSession.run_id)
        .join(User, User.id == AttendanceMark.user_id)
        .where(finished, AttendanceMark.status == AttendanceStatus.PRESENT, User.deactivated_at.is_(None))
        .distinct()
        .order_by(CourseSession.run_id, AttendanceMark.user_id)
    )
    attendees: dict[int, list[int]] = {}
    for run_id, user_id in present:
        attendees.setdefault(run_id, []).append(user_id)
    askings = []
    for run in ctx.made["runs"]:
        if run.status != RunStatus.COMPLETED:
            continue
        opens = min(run.ends_at + timedelta(minutes=ctx.rng.randint(1, 60)), ctx.now)
        askings.append(
            _Asking(
                basic if run.is_basic else evening,
                titles[run.id].strip()[:TITLE_MAX],
                opens,
                attendees.get(run.id, []),
                run_id=run.id,
            )
        )
    return askings


def _survey_askings(ctx: BenchContext, survey: _Version) -> list[_Asking]:
    """Return one survey for each of the scale's years, sent late in the autumn to every
    network member and holder of a survey role who had an account by then."""
    people = db.session.execute(
        sa.select(User.id, User.created_at)
        .where(
            User.deactivated_at.is_(None),
            sa.or_(
                User.id.in_(sa.select(UserRole.user_id).where(UserRole.role.in_(SURVEY_ROLES))),
                User.id.in_(sa.select(NetworkMembership.user_id)),
            ),
        )
        .order_by(User.id)
    ).all()
    askings: list[_Asking] = []
    year = ctx.now.year
    while len(askings) < ctx.scale.years:
        day = date(year, 11, 15) + timedelta(days=ctx.rng.randint(0, 14))
        if day.weekday() >= 5:  # a Saturday or Sunday: the Monday after
            day += timedelta(days=7 - day.weekday())
        sent = local_moment(day, SURVEY_SENT)
        if sent <= ctx.now:
            invitees = [user_id for user_id, created in people if created <= sent]
            askings.append(_Asking(survey, f"{survey.name} {year}", sent, invitees, survey_year=year))
        year -= 1
    return askings


def _next_daily(moment: datetime, wall_clock: time) -> datetime:
    """Return the first time a daily job at `wall_clock` (local) runs at or after `moment`."""
    day = to_local(moment).date()
    run = local_moment(day, wall_clock)
    return run if run >= moment else local_moment(day + timedelta(days=1), wall_clock)


# -- the askings, the answered list and the answers ------------------------------------------------


def _ask(ctx: BenchContext, askings: list[_Asking]) -> None:
    """Insert the evaluations, the answered lists of those not closed, the responses and answers."""
    rng, now = ctx.rng, ctx.now
    config = current_app.config
    open_for = timedelta(days=config["COURSEHUB_EVALUATION_OPEN_DAYS"])
    remind_after = timedelta(days=config["COURSEHUB_EVALUATION_REMINDER_DAYS"])
    evaluation_id = ctx.next_id(Evaluation.__table__)
    invitation_id = ctx.next_id(Invitation.__table__)
    evaluations: list[dict[str, Any]] = []
    invitations: list[dict[str, Any]] = []
    responses: list[dict[str, Any]] = []
    asked: dict[int, tuple[_Version, tuple[int, ...]]] = {}  # evaluation -> version, rating profile
    for asking in askings:
        opens = asking.opens_at
        closes, remind = opens + open_for, opens + remind_after
        reminder_run = _next_daily(remind, REMINDER_JOB)
        reminded = reminder_run if reminder_run <= now else None
        closing_run = _next_daily(closes, CLOSING_JOB)
        closed = closing_run if closing_run <= now else None
        evaluations.append(
            {
                "id": evaluation_id,
                "version_id": asking.version.id,
                "run_id": asking.run_id,
                "survey_year": asking.survey_year,
                "title": asking.title,
                "created_at": opens,
                "opens_at": opens,
                "closes_at": closes,
                "remind_at": remind,
                "reminded_at": reminded,
                "closed_at": closed,
                "invited_count": len(asking.invitees),
            }
        )
        rate = rng.uniform(*ANSWER_RATE)
        answered_times = []
        for user_id in asking.invitees:  # in the order of their ids, as invite_people does
            answered = None
            if rng.random() < rate:
                if rng.random() < BEFORE_REMINDER:
                    answered = opens + (reminder_run - opens) * rng.random() ** 2
                else:
                    answered = reminder_run + (closes - reminder_run) * rng.random() ** 2
                if answered > now:
                    answered = None  # an evaluation still open: not yet
                else:
                    answered_times.append(answered)
            if closed is not None:
                continue  # the closing job deleted the answered list
            was_reminded = reminded is not None and (answered is None or answered > reminded)
            invitations.append(
                {
                    "id": invitation_id,
                    "evaluation_id": evaluation_id,
                    "user_id": user_id,
                    "token_hash": _token_hash(ctx),
                    "reminder_token_hash": _token_hash(ctx) if was_reminded else None,
                    "created_at": opens,
                    "answered_at": answered,
                    "reminded_at": reminded if was_reminded else None,
                }
            )
            invitation_id += 1
        # One response per answer, in the order they came in: nothing ties one to its invitation.
        for answered in sorted(answered_times):
            responses.append(
                {
                    "id": f"{rng.getrandbits(RESPONSE_KEY_LENGTH * 4):0{RESPONSE_KEY_LENGTH}x}",
                    "evaluation_id": evaluation_id,
                    "answered_on": to_local(answered).date(),
                    "may_quote": rng.random() < QUOTABLE,
                }
            )
        profile = rng.choices(RATING_PROFILES, weights=PROFILE_WEIGHTS)[0]
        asked[evaluation_id] = (asking.version, profile)
        evaluation_id += 1
    ctx.insert(Evaluation.__table__, evaluations)
    ctx.insert(Invitation.__table__, invitations)
    ctx.insert(Response.__table__, responses)
    ctx.insert(Answer.__table__, _answers(ctx, responses, asked))
    counted = [row["id"] for row in evaluations if row["closed_at"] is not None]
    for start in range(0, len(counted), BATCH):  # the figures the closing job counted
        count_tallies(counted[start : start + BATCH])


def _token_hash(ctx: BenchContext) -> str:
    """Return a stored link hash: 64 hex digits, as asking.hash_token gives (no token is kept)."""
    return f"{ctx.rng.getrandbits(256):064x}"


def _answers(
    ctx: BenchContext, responses: list[dict[str, Any]], asked: dict[int, tuple[_Version, tuple[int, ...]]]
) -> Iterator[dict[str, Any]]:
    """Yield each response's answers as answering.check_answers keeps them: no row for no answer."""
    rng = ctx.rng
    ratings = range(RATING_LOW, RATING_HIGH + 1)
    for response in responses:
        version, profile = asked[response["evaluation_id"]]
        for question in version.questions:
            value: int | None = None
            choice_id: int | None = None
            text: str | None = None
            if question.kind == QuestionKind.TEXT:
                if rng.random() >= WRITES_TEXT:
                    continue
                text = rng.choice(question.texts)
            elif not question.is_required and rng.random() >= OPTIONAL_ANSWERED:
                continue
            elif question.kind == QuestionKind.RATING:
                value = ratings[bisect(profile, rng.random() * 100)]
            elif question.kind == QuestionKind.YES_NO:
                value = 1 if rng.random() < YES_SHARE else 0
            else:
                choice_id = rng.choice(question.choice_ids)
            yield {
                "response_id": response["id"],
                "question_id": question.id,
                "value": value,
                "choice_id": choice_id,
                "text": text,
            }
