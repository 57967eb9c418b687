"""The sheet's people, written in one loop: each person's name, mark, notice, needs and buttons;
and the groups they are listed in (a family, or a professional alone).

A sheet lists every participant of a session with a form and three buttons each. Written by the
template, each person cost some 300 Python calls (every printed value an escape, every attribute
a lookup, the buttons a loop of their own): half of a 49-person sheet's request. Here
each person is one f-string, every value that came from the database or a translation escaped as
the template escaped it, and each person's buttons are the page's own, written once per status
chosen, with the person's name put in.

The groups are written here too: as a template loop around the people, each of a sheet's 30-odd
groups cost some 30 µs of Jinja (a section, a heading and a form for the family's "all present").

The words stay in the template (`attendance/sheet.html` hands them over, translated once), and so
does every other part of the page; `tests/attendance/test_sheet_rows.py` holds this output to the
template's on every kind of row and group.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flask import current_app
from markupsafe import Markup, escape

from coursehub.attendance.models import AttendanceStatus
from coursehub.attendance.queries import SheetHousehold, SheetRow

NAME = "\x00"  # where a person's name goes into the buttons, written once per page


def _buttons(
    labels: tuple[tuple[AttendanceStatus, str], ...], chosen: str | None, suggested: str | None
) -> list[str]:
    """The buttons of a person whose mark is `chosen` (or None) and whose notice suggests
    `suggested`, split where the person's name goes."""
    html = []
    for value, label in labels:
        classes = "".join(
            (
                f"btn tap-target attendance-button attendance-{escape(value)}",
                " is-chosen" if value == chosen else "",
                " is-suggested" if value == suggested else "",
            )
        )
        tick = '<span aria-hidden="true">✓ </span>' if value == chosen else ""
        html.append(
            f'\n<button type="submit" name="status" value="{escape(value)}" class="{classes}" '
            f'aria-pressed="{"true" if value == chosen else "false"}">\n'
            f'{tick}{escape(label)}<span class="visually-hidden"> – {NAME}</span>\n</button>'
        )
    return "".join(html).split(NAME)


class PersonRows:
    """Writes the sheet's people group by group, with what every person's entry shares (the
    words, the form's start, each kind of button row) made once for the page."""

    def __init__(
        self,
        texts: Mapping[str, Any],
        status_labels: Mapping[AttendanceStatus, str],
        *,
        is_open: bool,
        mark_url: str,
        csrf: str,
        error_user_id: int | None = None,
        error: str | None = None,
        all_url: str = "",
    ) -> None:
        """`texts` are the sheet's words (`t_*` in the template; `remark_about` and
        `attendance_of` each cut around the name; `all_present` and `professional` for the
        groups). `all_url` is where a family's "all present" goes."""
        self.local_date: Callable[[Any], str] = current_app.jinja_env.filters["local_date"]
        self.status_labels = status_labels
        labels = tuple(status_labels.items())
        self.buttons = functools.cache(lambda chosen, suggested: _buttons(labels, chosen, suggested))
        self.t = {key: escape(value) for key, value in texts.items() if isinstance(value, str)}
        self.remark_about = [escape(part) for part in texts["remark_about"]]
        self.attendance_of = [escape(part) for part in texts["attendance_of"]]
        self.is_open = is_open
        self.form_start = (
            f'\n<form method="post" action="{escape(mark_url)}" class="attendance-form">\n'
            f'<input type="hidden" name="csrf_token" value="{escape(csrf)}">\n'
        )
        self.error_user_id = error_user_id
        self.error = escape(error)
        self.all_form_start = (
            f'\n  <form method="post" action="{escape(all_url)}" class="mb-2">\n'
            f'    <input type="hidden" name="csrf_token" value="{escape(csrf)}">\n'
        )

    def groups(self, households: Sequence[SheetHousehold]) -> Markup:
        """Return each group's `<section>` with its people, as the sheet shows them: a family
        with someone not yet marked gets its "all present" form while the sheet is open."""
        t, html = self.t, []
        for group in households:
            anchor = escape(group.anchor)
            name = escape(group.name)
            badge = (
                f' <span class="badge text-bg-light border">{t["professional"]}</span>'
                if group.professional
                else ""
            )
            form = ""
            if self.is_open and group.household and group.has_unmarked:
                form = (
                    f"{self.all_form_start}"
                    f'    <input type="hidden" name="household_id" value="{int(group.household.id)}">\n'
                    f'    <button type="submit" class="btn btn-outline-success btn-sm tap-target">'
                    f'{t["all_present"]}<span class="visually-hidden"> – {name}</span></button>\n'
                    f"  </form>\n  "
                )
            html.append(
                f'\n<section class="attendance-household" id="{anchor}" aria-labelledby="{anchor}-name" '
                f"data-sheet-group>\n"
                f'  <h2 id="{anchor}-name" class="h4">{name}{badge}</h2>\n  {form}\n'
                f'  <ul class="list-unstyled">\n  {self(group.rows)}\n  </ul>\n</section>\n'
            )
        # Every value above went through escape() or is an int.
        return Markup("".join(html))  # noqa: S704  # nosec B704

    def __call__(self, rows: Sequence[SheetRow]) -> Markup:
        """Return the `<li>` of each of `rows` as the sheet shows them."""
        t, html = self.t, []
        for row in rows:
            user, mark, notice, needs = row.user, row.mark, row.notice, row.needs
            name = escape(user.full_name)
            uid = int(user.id)
            if mark:
                current = escape(self.status_labels[mark.status])
            elif notice:
                current = t["prefilled"]
            else:
                current = t["not_marked"]
            parts = [
                f'\n<li id="person-{uid}" class="attendance-person" '
                f'data-sheet-name="{escape(user.full_name.lower())}">\n<h3 class="h5 mb-1">{name}</h3>\n',
                f'<p class="mb-1"><span class="badge text-bg-secondary">{t["makeup"]}</span></p>'
                if row.is_makeup
                else "",
                f'\n<p class="mb-1 attendance-current">{t["marked"]}\n<strong>{current}</strong>\n',
                f"<br>{t['remark']} {escape(mark.remark)}" if mark and mark.remark else "",
                "\n</p>\n",
            ]
            if notice:
                reason = f": {escape(notice.reason)}" if notice.reason else ""
                day = escape(self.local_date(notice.reported_at))
                parts.append(f'\n<p class="attendance-notice mb-1">{t["notice"]} ({day}){reason}</p>\n')
            if needs:
                parts.append('\n<ul class="attendance-needs small mb-1">\n')
                if needs.diet:
                    parts.append(f"<li>{t['diet']} {escape(needs.diet)}</li>")
                parts.append("\n")
                if needs.accessibility:
                    parts.append(f"<li>{t['accessibility']} {escape(needs.accessibility)}</li>")
                parts.append("\n")
                if needs.interpreter:
                    parts.append(f"<li>{t['interpreter']} {escape(needs.interpreter)}</li>")
                parts.append("\n</ul>\n")
            parts.append("\n")
            if self.error_user_id == user.id:
                parts.append(f'<p class="text-danger fw-semibold" id="error-{uid}">{self.error}</p>')
            parts.append("\n")
            if self.is_open:
                chosen = mark.status if mark else None
                suggested = AttendanceStatus.EXCUSED if not mark and notice else None
                remark = escape(mark.remark) if mark else ""
                about, of = self.remark_about, self.attendance_of
                parts += [
                    self.form_start,
                    f'<input type="hidden" name="user_id" value="{uid}">\n<div class="mb-2">\n',
                    f'<label class="form-label" for="remark-{uid}">{about[0]}{name}{about[2]}</label>\n',
                    f'<input class="form-control tap-target" type="text" id="remark-{uid}" name="remark" '
                    f'maxlength="300" value="{remark}">\n</div>\n',
                    f'<div class="attendance-buttons" role="group" aria-label="{of[0]}{name}{of[2]}">',
                    str(name).join(self.buttons(chosen, suggested)),  # str.join: the parts are HTML
                    "\n</div>\n</form>\n",
                ]
            parts.append("\n</li>")
            html.append("".join(parts))
        # Every value above went through escape(), as the template's printing of it did.
        return Markup("".join(html))  # noqa: S704  # nosec B704
