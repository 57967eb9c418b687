"""A person's own data: "Mina uppgifter" with its two downloads, and staff's export and erasure."""

from __future__ import annotations

import json

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coursehub import clock
from coursehub.accounts import permissions, privacy
from coursehub.accounts.forms import ErasePersonForm
from coursehub.accounts.models import User
from coursehub.accounts.personal_data import is_erased
from coursehub.lib import work
from coursehub.lib.checks import known
from coursehub.lib.forms import required
from coursehub.lib.work import actor, attempt, load_or_404

from . import bp

# The area keys of the export, as headings of the readable page.
AREA_HEADINGS = {
    "accounts": _l("Konto och familj"),
    "enrollment": _l("Anmälningar"),
    "attendance": _l("Närvaro och intyg"),
    "forum": _l("Forum"),
    "evaluations": _l("Utvärderingar"),
    "recruitment": _l("Intresseanmälningar"),
    "notifications": _l("E-post"),
}


def _download(person: User, fmt: str):
    """Export `person` for the logged-in user (audited) and send it as a JSON or HTML file."""
    work.write_from_here()  # a read that writes its audit row
    outcome = attempt(lambda: privacy.export_data(person, actor=actor()))
    data = known(outcome.value, "the views check who may export before asking") if outcome.ok else None
    if data is None:
        return redirect(url_for("accounts.profile"))
    now = clock.now()
    stem = f"uppgifter-{now:%Y-%m-%d}"
    if fmt == "json":
        body = json.dumps({"Uttaget": now.isoformat(), "Uppgifter": data}, ensure_ascii=False, indent=2)
        response = current_app.response_class(body, mimetype="application/json")
    else:
        html = render_template(
            "accounts/data_export.html", person=person, data=data, headings=AREA_HEADINGS, taken_at=now
        )
        response = current_app.response_class(html, mimetype="text/html")
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/profil/mina-uppgifter")
@permissions.login_required
def my_data():
    """Tell the person what the platform holds about them and offer it as two downloads."""
    return render_template("accounts/my_data.html", headings=AREA_HEADINGS.values())


@bp.get("/profil/mina-uppgifter.json")
@permissions.login_required
def my_data_json():
    """Download one's own data as JSON (audited)."""
    return _download(actor(), "json")


@bp.get("/profil/mina-uppgifter.html")
@permissions.login_required
def my_data_html():
    """Download one's own data as a readable page that prints well (audited)."""
    return _download(actor(), "html")


def _may_export(user, person: User) -> bool:
    return permissions.can_export_person(user, person)


@bp.get("/admin/anvandare/<int:user_id>/uppgifter.json")
@permissions.permission_required(permissions.can_manage_users)
def person_data_json(user_id: int):
    """Staff take out a person's data as JSON on their request (audited)."""
    return _download(load_or_404(User, user_id, allowed=_may_export), "json")


@bp.get("/admin/anvandare/<int:user_id>/uppgifter.html")
@permissions.permission_required(permissions.can_manage_users)
def person_data_html(user_id: int):
    """Staff take out a person's data as a readable page on their request (audited)."""
    return _download(load_or_404(User, user_id, allowed=_may_export), "html")


@bp.route("/admin/anvandare/<int:user_id>/radera", methods=["GET", "POST"])
@permissions.permission_required(permissions.can_manage_users)
def erase_person(user_id: int):
    """Confirm, then erase a person's data on request: every area, one transaction, audited."""
    person = load_or_404(User, user_id)
    allowed = permissions.can_erase_person(actor(), person) and not is_erased(person)
    form = ErasePersonForm()
    if allowed and form.validate_on_submit():
        name = person.full_name
        if attempt(
            lambda: privacy.erase_user(person, actor=actor(), reason=required(form.reason), now=clock.now()),
            form=form,
            default="reason",
        ).ok:
            flash(_("Uppgifterna om %(name)s är borttagna.", name=name), "success")
            return redirect(url_for("accounts.edit_user", user_id=person.id))
    return render_template(
        "accounts/erase_person.html", person=person, form=form, allowed=allowed, erased=is_erased(person)
    )
