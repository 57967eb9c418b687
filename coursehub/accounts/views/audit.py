"""Staff review the audit log: filters, the unusual-read flags, and exports of what is filtered.

Staff and admins both review the log (SECURITY.md, Privacy: "Staff can review the log"): the
resource's staff are the ones who read the cases, and they answer for each other's reads.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from coursehub import clock
from coursehub.accounts import audit_review, permissions, queries
from coursehub.accounts.audit_review import AuditFilter, FlagRules
from coursehub.accounts.forms import AuditFilterForm
from coursehub.accounts.models import AuditEntry, AuditOutcome, User
from coursehub.lib import spreadsheets, work
from coursehub.lib.params import get_or_none, page_arg

from . import bp

read_log = permissions.permission_required(permissions.can_read_audit_log)

# The query-string keys of the filters, kept on the page links and named in an export's audit row.
FILTER_KEYS = (
    "person",
    "utforare",
    "posttyp",
    "postnummer",
    "handelse",
    "utfall",
    "fran",
    "till",
    "avvikande",
)


def _today() -> date:
    return clock.to_local(clock.now()).date()


def _filter() -> tuple[AuditFilterForm, AuditFilter | None, dict[str, Any]]:
    """Read the filters from the query string; None when one is wrong (its message is beside it)."""
    form = AuditFilterForm(
        formdata=request.args, actions=queries.audit_actions(), object_types=audit_review.object_types()
    )
    if not form.validate():
        return form, None, {}
    person = get_or_none(User, form.person.data) if form.person.data is not None else None
    if form.person.data is not None and person is None:
        form.person.errors = [_("Det finns ingen användare med det numret.")]
        return form, None, {}
    wanted = AuditFilter(
        person=person,
        actor_id=form.utforare.data,
        object_type=form.posttyp.data or None,
        object_id=form.postnummer.data,
        action=form.handelse.data or None,
        outcome=AuditOutcome(form.utfall.data) if form.utfall.data else None,
        first_day=form.fran.data,
        last_day=form.till.data,
        unusual_only=bool(form.avvikande.data),
    )
    given: dict[str, Any] = request.args.to_dict()
    args = {key: given[key] for key in FILTER_KEYS if given.get(key)}
    return form, wanted, args


@bp.get("/admin/logg")
@read_log
def audit_log():
    """Read who did what, newest first, filtered; unusual reads are marked."""
    form, wanted, args = _filter()
    rules = FlagRules.from_config(current_app.config)
    page = audit_review.entries(wanted, rules, today=_today(), page=page_arg()) if wanted else None
    return render_template(
        "accounts/audit_log.html",
        form=form,
        page=page,
        flags=audit_review.row_flags(page.items, rules) if page else {},
        args=args,
        person=wanted.person if wanted else None,
        flag_days=audit_review.flag_range(wanted, _today()) if wanted and wanted.unusual_only else None,
        rules=rules,
    )


def _headings() -> list[str]:
    return [
        _("Tid"),
        _("Utförd av"),
        _("Användarnummer"),
        _("Roller"),
        _("Händelse"),
        _("Sorts post"),
        _("Postens nummer"),
        _("Utfall"),
        _("Detalj"),
    ]


def _row(entry: AuditEntry) -> list[object]:
    return [
        clock.to_local(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
        entry.actor.full_name if entry.actor else _("Systemet"),
        entry.actor_id or "",
        entry.actor_roles,
        entry.action,
        entry.object_type or "",
        entry.object_id if entry.object_id is not None else "",
        _("Nekad") if entry.outcome == AuditOutcome.DENIED else _("Utförd"),
        entry.detail or "",
    ]


def _export(file_format: str) -> BaseResponse:
    """Send the filtered rows as a file; the export itself is written to the log first."""
    form, wanted, args = _filter()
    if wanted is None:
        # The page shows what is wrong, beside the field.
        given: dict[str, Any] = request.args.to_dict()
        return redirect(url_for("accounts.audit_log", **given))
    work.write_from_here()
    rows = audit_review.export_rows(wanted, FlagRules.from_config(current_app.config), today=_today())
    if len(rows) > audit_review.EXPORT_MAX_ROWS:
        flash(
            _(
                "Urvalet har fler än %(count)d rader. Begränsa det, till exempel med datum, och hämta igen.",
                count=audit_review.EXPORT_MAX_ROWS,
            ),
            work.ERROR,
        )
        return redirect(url_for("accounts.audit_log", **args))
    audit_review.record_export(work.actor(), file_format=file_format, rows=len(rows), query=args)
    work.commit_audit_now()
    table = [_headings(), *(_row(entry) for entry in rows)]
    stamp = clock.to_local(clock.now()).strftime("%Y%m%d-%H%M")
    if file_format == "csv":
        body, mimetype = spreadsheets.to_csv(table), "text/csv"
    else:
        body = spreadsheets.to_xlsx(table, sheet_title=_("Logg"))
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="logg-{stamp}.{file_format}"'
    return response


@bp.get("/admin/logg.csv")
@read_log
def audit_log_csv():
    """Download the filtered rows of the log as CSV (the download is logged)."""
    return _export("csv")


@bp.get("/admin/logg.xlsx")
@read_log
def audit_log_xlsx():
    """Download the filtered rows of the log as an Excel workbook (the download is logged)."""
    return _export("xlsx")
