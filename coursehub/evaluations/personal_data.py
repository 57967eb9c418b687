"""The evaluations' part of a person's data: only which evaluations they were asked to answer.

Answers are anonymous by construction (SECURITY.md): they carry no user, no invitation and only a
date, so no answer can be found for a person, exported or erased. What is kept about a person is
the answered list: which evaluations they were invited to, and whether they answered. The export
says so; erasure keeps those rows (response rates count them), which name no one once the
account is anonymised.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from coursehub.evaluations.models import Invitation
from coursehub.extensions import db
from coursehub.lib.personal_data import ErasureContext, Person, Provider, Rows, row

ANONYMOUS = "Svaren på utvärderingar är anonyma och kan inte kopplas till er."


def export(person: Person) -> Rows:
    """Return the evaluations the person was asked to answer, and a note that answers are anonymous."""
    invitations = db.session.scalars(
        sa.select(Invitation)
        .where(Invitation.user_id == person.id)
        .order_by(Invitation.id)
        .options(selectinload(Invitation.evaluation))
    )
    return {
        "Om utvärderingar": [row({"Anmärkning": ANONYMOUS})],
        "Inbjudningar till utvärderingar": [
            row(
                {
                    "Utvärdering": i.evaluation.title,
                    "Inbjuden": i.created_at,
                    "Har svarat": i.answered_at is not None,
                }
            )
            for i in invitations
        ],
    }


def erase(person: Person, context: ErasureContext) -> None:
    """Nothing to erase: answers are anonymous, and the answered list names no one after accounts."""


provider = Provider(area="evaluations", tables=("evaluation_invitations",), export=export, erase=erase)
