"""Enrollment's part of a person's data: sign-ups and the calendar feed.

Export: every sign-up the person is part of (as one of its persons, as the professional, or as an
adult of the household signed up), with the run, status, dates and the needs the family wrote.
Erasure keeps each sign-up with its run, status, dates and persons (figures count them) and clears
its free text (needs, the reason for a cancellation); the person's calendar feed and its sequence
numbers go.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import ORMOption

from coursehub.enrollment.models import CalendarFeed, CalendarSequence, Enrollment, EnrollmentPerson
from coursehub.extensions import db
from coursehub.lib.personal_data import ErasureContext, Person, Provider, Rows, row
from coursehub.lib.sqlfind import among


def _enrollments(person: Person, *options: ORMOption, household: bool = True) -> list[Enrollment]:
    # The ids each way, each from its own index, then the sign-ups by their key: one condition
    # with OR between the three ways read every sign-up ever made (182,000 at national size).
    ids = [
        sa.select(EnrollmentPerson.enrollment_id).where(EnrollmentPerson.user_id == person.id),
        sa.select(Enrollment.id).where(Enrollment.professional_id == person.id),
    ]
    if household and person.household_id is not None:
        ids.append(sa.select(Enrollment.id).where(Enrollment.household_id == person.household_id))
    stmt = (
        sa.select(Enrollment)
        .where(among(Enrollment.id, sa.union(*ids)))
        .order_by(Enrollment.id)
        .options(*options)
    )
    return list(db.session.scalars(stmt))


def export(person: Person) -> Rows:
    """Return the person's and their household's sign-ups, and whether they have a calendar feed."""
    feed = db.session.get(CalendarFeed, person.id)
    return {
        "Anmälningar": [
            row(
                {
                    "Kurs": enrollment.run.title,
                    "Status": enrollment.status,
                    "Personer": ", ".join(p.user.full_name for p in enrollment.persons),
                    "Anmäld": enrollment.created_at,
                    "Bekräftad": enrollment.confirmed_at,
                    "Avanmäld": enrollment.cancelled_at,
                    "Skäl för avanmälan": enrollment.cancel_reason,
                    "Kost": enrollment.needs_diet,
                    "Tillgänglighet": enrollment.needs_accessibility,
                    "Tolk": enrollment.needs_interpreter,
                }
            )
            for enrollment in _enrollments(
                person,
                selectinload(Enrollment.run),
                selectinload(Enrollment.persons).selectinload(EnrollmentPerson.user),
            )
        ],
        "Kalenderflöde": [row({"Skapat": feed.created_at})] if feed is not None else [],
    }


def erase(person: Person, context: ErasureContext) -> None:
    """Clear the free text of the person's sign-ups; drop their calendar feed."""
    for enrollment in _enrollments(person, household=context.whole_household):
        enrollment.needs_diet = ""
        enrollment.needs_accessibility = ""
        enrollment.needs_interpreter = ""
        enrollment.cancel_reason = ""
    db.session.execute(sa.delete(CalendarFeed).where(CalendarFeed.user_id == person.id))
    db.session.execute(sa.delete(CalendarSequence).where(CalendarSequence.user_id == person.id))
    db.session.flush()


provider = Provider(
    area="enrollment",
    tables=("enrollments", "enrollment_persons", "calendar_feeds", "calendar_sequences"),
    export=export,
    erase=erase,
)
