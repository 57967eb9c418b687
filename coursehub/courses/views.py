"""Course catalogue and staff pages (being built)."""

from flask import Blueprint, render_template

bp = Blueprint("courses", __name__)


@bp.get("/kurser")
def catalogue():
    """List upcoming published course runs."""
    return render_template("errors/error.html", code=200, title="Kurser", text="")
