"""The public certificate check, the PDF download, and staff's revoke and reissue."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coursehub import clock
from coursehub.accounts.models import STAFF_ROLES
from coursehub.accounts.permissions import login_required, roles_required
from coursehub.attendance import certificates as pdf
from coursehub.attendance import permissions, queries, services
from coursehub.attendance.forms import ReissueForm, RevokeForm
from coursehub.attendance.models import Certificate
from coursehub.attendance.views import bp
from coursehub.errors import CoursehubError
from coursehub.lib.forms import expired_form_message
from coursehub.lib.params import page_arg
from coursehub.lib.work import actor, attempt, load_or_404
from coursehub.notifications.services import link


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())[:32]


def _may_download(user, certificate: Certificate) -> bool:
    return permissions.can_download_certificate(user, certificate) and certificate.is_valid


def _may_manage(user, certificate: Certificate) -> bool:
    return permissions.can_manage_certificates(user)


@bp.get("/intyg")
def verify_form():
    """The public check's own page: a code field (GET, ?kod=), and the answer once one is given."""
    code = request.args.get("kod", "", type=str)
    if not code.strip():
        return render_template("attendance/verify.html", certificate=None, code="", asked=False)
    return verify_certificate(code)


@bp.get("/intyg/<code>")
def verify_certificate(code: str):
    """Tell anyone whether a certificate is genuine; show only the name, course and date."""
    code = _normalise_code(code)  # only the code is ever echoed, never other text from the URL
    if not code:
        return render_template("attendance/verify.html", certificate=None, code="", asked=True), 404
    certificate = queries.certificate_by_code(code)
    if certificate is None:
        return render_template("attendance/verify.html", certificate=None, code=code), 404
    status = 200 if certificate.is_valid else 410
    return render_template("attendance/verify.html", certificate=certificate, code=code), status


@bp.get("/intyg/<int:certificate_id>/pdf")
@login_required
def certificate_pdf(certificate_id: int):
    """Download the certificate as a PDF (the person themself, and staff)."""
    certificate = load_or_404(Certificate, certificate_id, allowed=_may_download)
    content = pdf.certificate_content(
        certificate,
        organisation=current_app.config["COURSEHUB_ORGANISATION"],
        verify_url=link(url_for("attendance.verify_certificate", code=certificate.code)),
    )
    response = current_app.response_class(pdf.render_certificate_pdf(content), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="intyg-{certificate.code}.pdf"'
    return response


@bp.get("/admin/intyg")
@roles_required(*STAFF_ROLES)
def admin_certificates():
    """List certificates, newest first, for staff to revoke or reissue."""
    if not permissions.can_manage_certificates(current_user):
        abort(403)
    page = queries.certificates_page(page=page_arg())
    # Certificates whose completion corrected marks no longer meet: staff decide on revoking.
    progress = queries.progress_for_users(list({c.user_id for c in page.items}))
    lapsed = {
        (user_id, course.course_type.id)
        for user_id, courses in progress.items()
        for course in courses
        if course.rule_no_longer_met
    }
    return render_template(
        "attendance/admin_certificates.html",
        page=page,
        lapsed=lapsed,
        revoke_form=RevokeForm(formdata=None),
        reissue_form=ReissueForm(),
    )


@bp.post("/admin/intyg/<int:certificate_id>/aterkalla")
@roles_required(*STAFF_ROLES)
def revoke_certificate(certificate_id: int):
    """Revoke a certificate with a reason."""
    certificate = load_or_404(Certificate, certificate_id, allowed=_may_manage)
    form = RevokeForm()

    def revoke() -> None:
        if not form.validate():
            raise CoursehubError(next(iter(form.errors.values()))[0], field="reason")
        services.revoke_certificate(certificate, reason=form.reason_text(), actor=actor(), now=clock.now())

    if not attempt(revoke).ok:
        return redirect(url_for("attendance.admin_certificates", _anchor=f"intyg-{certificate_id}"), code=303)
    flash(_("Intyget %(code)s är återkallat.", code=certificate.code), "success")
    return redirect(url_for("attendance.admin_certificates"), code=303)


@bp.post("/admin/intyg/<int:certificate_id>/nytt")
@roles_required(*STAFF_ROLES)
def reissue_certificate(certificate_id: int):
    """Issue a new certificate with a new code; the old one is revoked."""
    certificate = load_or_404(Certificate, certificate_id, allowed=_may_manage)
    form = ReissueForm()

    def reissue() -> Certificate:
        if not form.validate():
            raise CoursehubError(expired_form_message())
        return services.reissue_certificate(certificate, actor=actor(), now=clock.now())

    new = attempt(reissue).value
    if new is None:  # the form expired or the service refused; attempt has flashed why
        return redirect(url_for("attendance.admin_certificates"), code=303)
    flash(_("Ett nytt intyg är utfärdat med kontrollkoden %(code)s.", code=new.code), "success")
    return redirect(url_for("attendance.admin_certificates"), code=303)
