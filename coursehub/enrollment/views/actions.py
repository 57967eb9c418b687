"""What a family or a professional can do with their own sign-up: accept the places offered, and
cancel (with an optional reason). One writer for every page that offers it: the family's and the
professional's "Mina kurser" and a municipal worker's page of one household.

`tests/enrollment/test_actions.py` holds its output to the macro it replaced
(`tests/enrollment/data/actions_template.html`).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import get_translations
from markupsafe import Markup, escape

from coursehub.enrollment.models import Enrollment
from coursehub.lib.urls import id_urls


class EnrollmentActions:
    """Writes the accept and cancel forms of sign-ups, with what they share made once: the words,
    the forms' hidden token and the address they come back to, the addresses around each id."""

    def __init__(self, *, now: datetime, csrf_field: str, back: str) -> None:
        """`csrf_field`: the forms' hidden token (HTML); `back`: the page the forms return to."""
        self.now = now
        self.accept_url = id_urls("enrollment.accept_offer", "enrollment_id")
        self.cancel_url = id_urls("enrollment.cancel", "enrollment_id")
        # Named as the extraction keyword, so that `pybabel extract` still finds the words.
        _ = get_translations().ugettext
        self.t = {
            key: escape(value)
            for key, value in {
                "accept": _("Tacka ja till platserna"),
                "cancel": _("Avboka"),
                "reason": _("Anledning (frivilligt)"),
                "cancel_signup": _("Avboka anmälan"),
            }.items()
        }
        self.hidden = f'{csrf_field}\n<input type="hidden" name="next" value="{escape(back)}">\n'

    def html(self, e: Enrollment, *, can_cancel: bool | None = None) -> str:
        """The forms of `e` as HTML (`can_cancel`, when the caller has asked `e` already)."""
        t, html, ident = self.t, [], int(e.id)
        if e.can_accept_offer(self.now):
            html.append(
                f'\n<form method="post" action="{escape(self.accept_url(ident))}" class="d-inline">\n'
                f'{self.hidden}<button class="btn btn-primary btn-sm" type="submit">{t["accept"]}</button>\n'
                "</form>\n"
            )
        if can_cancel is None:
            can_cancel = e.can_cancel(self.now)
        if can_cancel:
            html.append(
                f'\n<details class="d-inline-block ms-2">\n<summary>{t["cancel"]}</summary>\n'
                f'<form method="post" action="{escape(self.cancel_url(ident))}" class="mt-2">\n'
                f'{self.hidden}<label class="form-label" for="reason-{ident}">{t["reason"]}</label>\n'
                f'<textarea class="form-control mb-2" name="reason" id="reason-{ident}" maxlength="300" '
                'rows="2"></textarea>\n'
                f'<button class="btn btn-outline-danger btn-sm" type="submit">{t["cancel_signup"]}</button>\n'
                "</form>\n</details>\n"
            )
        return "".join(html)

    def __call__(self, e: Enrollment) -> Markup:
        """The forms of `e`, for a page that writes its rows in the template."""
        # Every value in them went through escape(); the token field is the form's own HTML.
        return Markup(self.html(e))  # noqa: S704  # nosec B704
