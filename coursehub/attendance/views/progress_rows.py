"""The progress pages' rows, written in one loop each: a person's courses and themes, the sessions
where they can make up a theme, and a family's coming sessions.

A family's own progress page shows each adult's courses with a row per theme (eight for the basic
training), and the municipal pages show up to twenty families. Written by the template's macros,
the themes, make-up sessions and coming sessions were a quarter of the family page's request
(every printed value an escape, every attribute a lookup, every word a call); here each row is one
f-string, every value from the database or a translation escaped as the templates escaped it, and
the words are translated once for the page.

The three pages (`attendance/my_progress.html`, `household_progress.html`,
`municipal_progress.html`) keep everything around the rows. `tests/attendance/test_progress_rows.py`
holds this output to the macros it replaces (`tests/attendance/data/progress_rows_template.html`)
on every kind of row, and checks that the words hold nothing that escaping changes: they are
filled in with `%` and escaped whole, where `_()` in a template escaped only what was filled in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from flask import current_app, url_for
from flask_babel import get_translations
from markupsafe import Markup, escape

from coursehub.attendance.models import AttendanceStatus
from coursehub.attendance.queries import CourseProgress, MakeupTheme, UpcomingSession
from coursehub.lib.urls import id_urls


class Named(Protocol):
    """A person a row names: a user, or a household's adult as a page read them."""

    @property
    def id(self) -> int: ...

    @property
    def full_name(self) -> str: ...


class ProgressRows:
    """Writes a progress page's rows, with the words and addresses every row shares made once."""

    def __init__(
        self,
        status_labels: Mapping[AttendanceStatus, str],
        *,
        csrf: str,
        makeup_action: str,
        page: int | None = None,
    ) -> None:
        filters = current_app.jinja_env.filters
        self.local_date: Callable[[Any], str] = filters["local_date"]
        self.local_datetime: Callable[[Any], str] = filters["local_datetime"]
        self.local_time: Callable[[Any], str] = filters["local_time"]
        self.status_labels = {status: escape(label) for status, label in status_labels.items()}
        translations = get_translations()
        # Named as the extraction keywords, so that `pybabel extract` still finds the words.
        _, self.ngettext = translations.ugettext, translations.ungettext
        self.words = {
            "none": _("Inga kurser med närvaro ännu."),
            "done": _("Klar"),
            "completed": _("slutförd %(date)s"),
            "theme": _("Tema"),
            "attendance": _("Närvaro"),
            "session": _("Träff"),
            "present": _("Närvarande"),
            "not_yet": _("Inte ännu"),
            "region_of": _("Teman i %(course)s för %(person)s"),
            "region": _("Teman i %(course)s"),
            "certificate": _("Intyg, kontrollkod %(code)s."),
            "download": _("Ladda ner intyget (PDF)"),
            "revoked_code": _("Intyg %(code)s"),
            "revoked": _("(återkallat)"),
            "makeup": _("Ta igen missade teman"),
            "makeup_about": _(
                "%(name)s kan gå på temat i en annan grupp som går samma kurs. "
                "Träffen räknas sedan i framstegen."
            ),
            "place": _("Plats: %(place)s."),
            "online": _("Träff på nätet."),
            "seats": _("Platser kvar: %(n)d."),
            "full": _("Fullt – inga platser kvar."),
            "sign_up": _("Anmäl till den här träffen"),
            "reported": _("Frånvaro anmäld"),
            "withdraw": _("Ta tillbaka frånvaroanmälan"),
            "message": _("Meddelande till kursledarna (frivilligt)"),
            "report": _("Anmäl frånvaro"),
        }
        self.t = {key: escape(text) for key, text in self.words.items()}
        self.csrf = escape(csrf)
        self.makeup_action = escape(makeup_action)
        self.page = page
        self.certificate_url = id_urls("attendance.certificate_pdf", "certificate_id")

    def _not_done(self, course: CourseProgress) -> str:
        count = len(course.themes)
        text = self.ngettext(
            "Inte klar ännu: %(done)d av %(num)d tema, %(needed)d behövs.",
            "Inte klar ännu: %(done)d av %(num)d teman, %(needed)d behövs.",
            count,
        )
        return text % {"num": count, "done": course.attended_count, "needed": course.needed}

    def progress(
        self,
        courses: Sequence[CourseProgress],
        *,
        level: int = 3,
        show_downloads: bool = False,
        person: str | None = None,
    ) -> Markup:
        """One person's progress per course type: the state, a table of themes, the certificates."""
        t, words, local_date = self.t, self.words, self.local_date
        if not courses:
            return Markup(f"\n<p>{t['none']}</p>\n")  # noqa: S704  # nosec B704
        html = []
        for course in courses:
            name = course.course_type.name
            completed = course.completion.completed_at if course.completion else course.completed_at
            if course.completion or completed:
                done = escape(words["completed"] % {"date": local_date(completed)})
                state = f'<p class="mb-1"><strong>{t["done"]}</strong> – {done}</p>'
            else:
                state = f'<p class="mb-1">{escape(self._not_done(course))}</p>'
            allowed = course.course_type.allowed_absences
            if allowed:
                most = self.ngettext(
                    "Högst %(num)d tema får missas.", "Högst %(num)d teman får missas.", allowed
                )
                state += f'\n<p class="small text-body-secondary mb-1">{escape(most % {"num": allowed})}</p>'
            caption = escape(words["region"] % {"course": name})
            region = escape(words["region_of"] % {"course": name, "person": person}) if person else caption
            html.append(
                f'\n<h{level} class="h5 mt-3">{escape(name)}</h{level}>\n{state}\n'
                f'<div class="table-responsive" tabindex="0" role="region" aria-label="{region}">\n'
                f'<table class="table table-sm progress-table">\n'
                f'<caption class="visually-hidden">{caption}</caption>\n'
                f'<thead><tr><th scope="col">{t["theme"]}</th><th scope="col">{t["attendance"]}</th>'
                f'<th scope="col">{t["session"]}</th></tr></thead>\n<tbody>\n'
            )
            for row in course.themes:
                mark = row.attended or row.latest
                if mark:
                    shown = t["present"] if row.attended else self.status_labels[mark.status]
                    held = f"{escape(mark.run_title)}, {escape(local_date(mark.starts_at))}"
                    cells = f"<td>{shown}</td>\n<td>{held}</td>"
                else:
                    cells = f"<td>{t['not_yet']}</td><td></td>"
                html.append(f'\n<tr>\n<th scope="row">{escape(row.theme.title)}</th>\n{cells}\n</tr>\n')
            html.append("\n</tbody>\n</table>\n</div>\n")
            for cert in course.certificates:
                if cert.is_valid:
                    text = str(escape(words["certificate"] % {"code": cert.code}))  # str: += adds HTML
                    if show_downloads:
                        url = escape(self.certificate_url(int(cert.id)))
                        text += (
                            f'\n<a class="btn btn-outline-primary btn-sm tap-target" href="{url}">'
                            f"{t['download']}</a>"
                        )
                else:
                    text = f"<del>{escape(words['revoked_code'] % {'code': cert.code})}</del> {t['revoked']}"
                html.append(f'\n<p class="mb-1">\n{text}\n</p>\n')
        # Every value above went through escape(), as the macro's printing of it did.
        return Markup("".join(html))  # noqa: S704  # nosec B704

    def makeup(self, person: Named, themes: Sequence[MakeupTheme], *, level: int = 3) -> Markup:
        """The sessions where `person` can make up the themes they lack, each with a sign-up button."""
        if not themes:
            return Markup("")
        t, words = self.t, self.words
        pid = int(person.id)
        name = escape(person.full_name)
        about = escape(words["makeup_about"] % {"name": person.full_name})
        page = f'\n<input type="hidden" name="page" value="{int(self.page)}">' if self.page else ""
        form_start = (
            f'\n<form method="post" action="{self.makeup_action}">\n'
            f'<input type="hidden" name="csrf_token" value="{self.csrf}">\n'
        )
        html = [
            f'\n<section aria-labelledby="makeup-{pid}" class="makeup-offers mt-3">\n'
            f'<h{level} id="makeup-{pid}" class="h5">{t["makeup"]}</h{level}>\n<p>{about}</p>\n'
        ]
        for item in themes:
            html.append(
                f'\n<h{level + 1} class="h6 mt-2">{escape(item.course_type_name)}: '
                f'{escape(item.theme_title)}</h{level + 1}>\n<ul class="list-unstyled">\n'
            )
            for option in item.options:
                session = option.session
                where: str
                if option.place:
                    where = escape(words["place"] % {"place": option.place})
                elif option.is_online:
                    where = t["online"]
                else:
                    where = ""
                seats = escape(words["seats"] % {"n": option.seats_left}) if option.seats_left else t["full"]
                html.append(
                    f'\n<li class="attendance-person">\n<p class="mb-1"><strong>'
                    f"{escape(self.local_datetime(session.starts_at))}</strong>–"
                    f"{escape(self.local_time(session.ends_at))}, {escape(session.run.title)}.</p>\n"
                    f'<p class="mb-1">{where}\n{seats}</p>\n'
                )
                if option.seats_left:
                    html.append(
                        f"{form_start}"
                        f'<input type="hidden" name="session_id" value="{int(session.id)}">\n'
                        f'<input type="hidden" name="user_id" value="{pid}">{page}\n'
                        f'<button type="submit" class="btn btn-outline-primary tap-target">{t["sign_up"]}'
                        f'<span class="visually-hidden"> – {name}, {escape(session.title)}, '
                        f"{escape(self.local_date(session.starts_at))}</span></button>\n</form>\n"
                    )
                html.append("\n</li>\n")
            html.append("\n</ul>\n")
        html.append("\n</section>\n")
        # Every value above went through escape(), as the macro's printing of it did.
        return Markup("".join(html))  # noqa: S704  # nosec B704

    def upcoming(self, items: Sequence[UpcomingSession]) -> Markup:
        """A family's coming sessions, each with a form to report an absence or to take one back."""
        t = self.t
        withdraw = id_urls("attendance.withdraw_absence", "notice_id")
        report = escape(url_for("attendance.report_absence"))
        html = []
        for item in items:
            title, person = escape(item.session_title), escape(item.user_name)
            hidden = f'<span class="visually-hidden"> – {person}, {title}</span>'
            head = (
                f'\n<li class="attendance-person">\n'
                f'<h3 class="h6 mb-1">{title} – {escape(self.local_datetime(item.starts_at))}</h3>\n'
                f'<p class="mb-1">{escape(item.run_title)}. {person}.</p>\n'
            )
            if item.notice_id:
                reason = f": {escape(item.notice_reason)}" if item.notice_reason else ""
                day = escape(self.local_date(item.notice_reported_at))
                body = (
                    f'\n<p class="attendance-notice mb-1">{t["reported"]} {day}{reason}</p>\n'
                    f'<form method="post" action="{escape(withdraw(int(item.notice_id)))}">\n'
                    f'<input type="hidden" name="csrf_token" value="{self.csrf}">\n'
                    f'<button type="submit" class="btn btn-outline-secondary tap-target">{t["withdraw"]}'
                    f"{hidden}</button>\n</form>\n"
                )
            else:
                field = f"reason-{int(item.session_id)}-{int(item.user_id)}"
                body = (
                    f'\n<form method="post" action="{report}">\n'
                    f'<input type="hidden" name="csrf_token" value="{self.csrf}">\n'
                    f'<input type="hidden" name="session_id" value="{int(item.session_id)}">\n'
                    f'<input type="hidden" name="user_id" value="{int(item.user_id)}">\n'
                    f'<label class="form-label" for="{field}">{t["message"]}</label>\n'
                    f'<input class="form-control mb-2" type="text" maxlength="300" id="{field}" '
                    'name="reason">\n'
                    f'<button type="submit" class="btn btn-outline-primary tap-target">{t["report"]}'
                    f"{hidden}</button>\n</form>\n"
                )
            html.append(f"{head}{body}\n</li>\n")
        # Every value above went through escape(), as the template's printing of it did.
        return Markup("".join(html))  # noqa: S704  # nosec B704
