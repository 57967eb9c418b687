"""Staff pages for evaluation forms and their versions."""

from __future__ import annotations

from flask import render_template

from coursehub.accounts.models import STAFF_ROLES
from coursehub.accounts.permissions import roles_required
from coursehub.evaluations import queries
from coursehub.evaluations.views import bp
from coursehub.lib.params import page_arg

staff_only = roles_required(*STAFF_ROLES)


@bp.get("/admin/utvarderingar/formular")
@staff_only
def forms() -> str:
    """List the evaluation forms, a page at a time."""
    return render_template("evaluations/forms.html", page=queries.forms_page(page=page_arg()))
