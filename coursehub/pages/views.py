"""Public pages that belong to no feature area."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_babel import lazy_gettext as _l

from coursehub.lib.nav import NavItem
from coursehub.lib.urls import safe_next

bp = Blueprint("pages", __name__)

nav_items = [NavItem(_l("Start"), "pages.index", lambda user: True, order=0)]


@bp.get("/")
def index():
    """Explain the resource and point to the catalogue and the interest form."""
    return render_template("pages/index.html")


@bp.get("/tillganglighet")
def accessibility():
    """Show the accessibility statement required of public digital services."""
    reviewed = date.fromisoformat(str(current_app.config["COURSEHUB_ACCESSIBILITY_REVIEWED"]))
    return render_template("pages/accessibility.html", reviewed=reviewed)


@bp.get("/kontakt")
def contact():
    """Tell people how to reach the organisation and where to find help."""
    return render_template("pages/contact.html")


@bp.get("/personuppgifter")
def privacy():
    """Explain in plain words how personal data given on the site are handled."""
    return render_template("pages/privacy.html")


@bp.post("/sprak")
def set_language():
    """Switch the interface language and go back to the page the person came from.

    Like every POST, the CSRF token is checked by CSRFProtect before the view runs.
    """
    wanted = request.form.get("locale", "sv")
    if wanted in current_app.config["COURSEHUB_LOCALES"]:
        session["locale"] = wanted
    return redirect(safe_next(request.form.get("next")))
