"""The staff's board: a column per step with its cases and counts."""

from __future__ import annotations

from flask import render_template

from coursehub.recruitment import permissions, queries
from coursehub.recruitment.labels import STEP_LABELS
from coursehub.recruitment.views import bp


@bp.get("/rekrytering/")
@permissions.case_reader_required("board")
def board():
    """The board of open cases, a column per step."""
    permissions.record_read("board")
    return render_template("recruitment/board.html", columns=queries.board_columns(), step_labels=STEP_LABELS)
