"""Staff pages for the county's parts (named groups of municipalities) and the kinds of home."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from coursehub.accounts import county, permissions, queries
from coursehub.accounts.forms import CountyPartForm, HomeKindForm
from coursehub.accounts.models import CountyPart, Municipality
from coursehub.lib.work import actor, attempt, load_or_404

from . import bp

staff_only = permissions.permission_required(permissions.can_manage_county)


@bp.route("/admin/lansdelar", methods=["GET", "POST"])
@staff_only
def county_parts():
    """List the county parts and add one."""
    form = CountyPartForm(municipalities=queries.member_municipalities())
    if form.validate_on_submit():
        chosen = county.by_ids(Municipality, form.municipalities.data)
        outcome = attempt(
            lambda: county.create_county_part(name=form.name.data, municipalities=chosen, actor=actor()),
            form=form,
            default="name",
        )
        if outcome.ok:
            flash(_("Länsdelen är sparad."), "success")
            return redirect(url_for("accounts.county_parts"))
    membership = county.part_membership()
    return render_template(
        "accounts/county_parts.html", parts=county.county_parts(), form=form, shared=membership.shared()
    )


@bp.route("/admin/lansdelar/<int:part_id>", methods=["GET", "POST"])
@staff_only
def edit_county_part(part_id: int):
    """Rename a county part or change its municipalities."""
    part = load_or_404(CountyPart, part_id)
    data = (
        None
        if request.method == "POST"
        else {"name": part.name, "municipalities": [m.id for m in part.municipalities]}
    )
    form = CountyPartForm(municipalities=queries.member_municipalities(), data=data)
    if form.validate_on_submit():
        chosen = county.by_ids(Municipality, form.municipalities.data)
        outcome = attempt(
            lambda: county.update_county_part(
                part, name=form.name.data, municipalities=chosen, actor=actor()
            ),
            form=form,
            default="name",
        )
        if outcome.ok:
            flash(_("Länsdelen är sparad."), "success")
            return redirect(url_for("accounts.county_parts"))
    return render_template("accounts/edit_county_part.html", part=part, form=form)


@bp.route("/admin/hemtyper", methods=["GET", "POST"])
@staff_only
def home_kinds():
    """List the kinds of home families can choose, and add one."""
    form = HomeKindForm()
    if form.validate_on_submit():
        if attempt(
            lambda: county.create_home_kind(name=form.name.data, actor=actor()), form=form, default="name"
        ).ok:
            flash(_("Hemtypen är tillagd."), "success")
            return redirect(url_for("accounts.home_kinds"))
    return render_template("accounts/home_kinds.html", kinds=county.home_kinds(), form=form)
