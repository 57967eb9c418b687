"""A family's sign-ups on "Mina kurser", written in one loop: the course, its first meeting, who
goes, the status with the run's progress, and what the family can do.

Families read the page on their phones. Written by the template, each row cost some 400 Python
calls (two macros, their translations, every printed value an escape). Here each row is one
f-string, every value escaped as the template escaped it, and what rows share (the words, the
forms' hidden token, the address to come back to, the addresses around each id) made once.

`tests/enrollment/test_course_rows.py` holds this output to the template's loop it replaces
(`tests/enrollment/data/course_rows_template.html`) on every kind of row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import get_translations
from markupsafe import Markup, escape

from coursehub.enrollment.models import Enrollment, EnrollmentStatus
from coursehub.enrollment.views.actions import EnrollmentActions
from coursehub.enrollment.views.badges import StatusBadges

NEXT_FORMAT = "EEE d MMM 'kl.' HH:mm"


class CourseRows:
    """Writes a page of a family's sign-ups as table rows."""

    def __init__(
        self,
        *,
        now: datetime,
        labels: Mapping[EnrollmentStatus, str],
        urls: Mapping[str, Callable[[int], str]],
        csrf_field: str,
        back: str,
    ) -> None:
        """`labels`: the statuses' labels in the request's language; `urls`: the addresses of a
        row ("run", "needs") by id; `csrf_field`: the forms' hidden token
        (HTML); `back`: the page's own address, where the forms come back to."""
        self.now, self.urls = now, urls
        self.local_datetime: Callable[..., str] = current_app.jinja_env.filters["local_datetime"]
        self.status = StatusBadges({status: escape(label) for status, label in labels.items()})
        translations = get_translations()
        self.ngettext = translations.ungettext
        # Named as the extraction keyword, so that `pybabel extract` still finds the words.
        _ = translations.ugettext
        self.makeup, self.next = _("Tar igen: %(title)s"), _("nästa: %(when)s")
        self.t = {
            key: escape(value)
            for key, value in {
                "finished": _("Kursen är avslutad."),
                "needs": _("Ändra behov"),
                # The columns' names, above each cell on a phone (.table-stack).
                "first": _("Första träffen"),
                "who": _("Vilka"),
                "status": _("Status"),
            }.items()
        }
        self.actions = EnrollmentActions(now=now, csrf_field=csrf_field, back=back)

    def _progress(self, ident: int, p: Any) -> str:
        if p is None:
            return ""
        if p.is_finished:
            return f'<br><span class="run-finished">{self.t["finished"]}</span>'
        if not p.total:
            return ""
        done = self.ngettext("%(done)d av %(num)d träff", "%(done)d av %(num)d träffar", p.total)
        text = str(escape(done % {"done": p.held, "num": p.total}))
        if p.next_session:
            when = self.local_datetime(p.next_session.starts_at, NEXT_FORMAT)
            text = f"{text}, {escape(self.next % {'when': when})}"
        return (
            '\n<div class="enrollment-progress mt-1">\n'
            f'<progress id="progress-{ident}" value="{int(p.held)}" max="{int(p.total)}" '
            f'aria-describedby="progress-text-{ident}">{int(p.held)}/{int(p.total)}</progress>\n'
            f'<span id="progress-text-{ident}" class="d-block small">{text}</span>\n</div>\n'
        )

    def __call__(
        self,
        enrollments: Sequence[Enrollment],
        names: Mapping[int, Sequence[str]],
        progress: Mapping[int, Any],
    ) -> Markup:
        """Return the `<tr>` of each sign-up, with its persons' `names` and its run's `progress`."""
        html = []
        for e in enrollments:
            ident, run, makeup = int(e.id), e.run, e.makeup_session
            title = escape(run.title)
            first = makeup.starts_at if makeup else run.starts_at
            makeup_line = (
                f"<br><small>{escape(self.makeup % {'title': makeup.title})}</small>" if makeup else ""
            )
            can_cancel = e.can_cancel(self.now)
            needs = (
                f'<a class="d-inline-block mt-1" href="{escape(self.urls["needs"](ident))}">{self.t["needs"]}'
                f'<span class="visually-hidden"> – {title}</span></a>'
                if can_cancel
                else ""
            )
            html.append(
                f'\n<tr>\n<th scope="row"><a href="{escape(self.urls["run"](int(e.run_id)))}">{title}</a>'
                f"{makeup_line}</th>\n"
                f'<td data-label="{self.t["first"]}">{escape(self.local_datetime(first))}</td>\n'
                f'<td data-label="{self.t["who"]}">{escape(", ").join(names[e.id])}</td>\n'
                f'<td class="enrollment-status" data-label="{self.t["status"]}">\n{self.status(e)}\n'
                f"{self._progress(ident, progress.get(e.id))}\n</td>\n"
                f"<td>{self.actions.html(e, can_cancel=can_cancel)}\n{needs}\n</td>\n</tr>"
            )
        # Every value above went through escape(); the token field is the form's own HTML.
        return Markup("".join(html))  # noqa: S704  # nosec B704
