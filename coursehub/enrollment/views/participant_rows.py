"""The participant list's rows, written in one loop: names, how each takes part, municipality,
status, needs and, for staff, the cancel form.

A leader opens the list at the door on a phone; a national run has forty sign-ups and more.
Written by the template, each row cost some 340 Python calls (the status a macro call with its
own translations, every printed value an escape, every attribute a lookup). Here each row is one
f-string, every value from the database or a translation escaped as the template escaped it,
and what every row shares (the words, the labels, the form's token and return address) made
once for the page.

`tests/enrollment/test_participant_rows.py` holds this output to the template's loop it
replaces (`tests/enrollment/data/participant_rows_template.html`) on every kind of row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask_babel import get_translations
from markupsafe import Markup, escape

from coursehub.enrollment.labels import KIND_LABELS, STATUS_LABELS
from coursehub.enrollment.queries import ParticipantRow
from coursehub.enrollment.views.badges import StatusBadges, own_label


class ParticipantRows:
    """Writes a page of a run's participants as table rows, for a leader or (`cancel`) staff."""

    def __init__(self, *, cancel: tuple[Callable[[int], str], str, str] | None = None) -> None:
        """`cancel`, for staff: the cancel address of an id, the form's hidden token field (HTML)
        and the address to come back to."""
        # The request's translations looked up once; named as the extraction keyword, so that
        # `pybabel extract` still finds the words.
        _ = get_translations().ugettext
        self.makeup = _("Tar igen: %(title)s")
        self.t = {
            key: escape(value)
            for key, value in {
                "diet": _("Kost:"),
                "accessibility": _("Tillgänglighet:"),
                "interpreter": _("Tolk:"),
                "cancel": _("Avboka"),
                "reason": _("Anledning (frivilligt)"),
                "cancel_signup": _("Avboka anmälan"),
                # The columns' names, above each cell on a phone (.table-stack).
                "kind": _("Deltar som"),
                "municipality": _("Kommun"),
                "status": _("Status"),
                "needs": _("Behov"),
            }.items()
        }
        self.needs_label = f' data-label="{self.t["needs"]}"'
        # The declared labels are our own catalogue's text, which the template printed unescaped
        # (a lazy string's __html__): Markup keeps the page as it was ("municipality's").
        self.status = StatusBadges({status: own_label(label) for status, label in STATUS_LABELS.items()})
        self.kinds = {kind: own_label(label) for kind, label in KIND_LABELS.items()}
        self.cancel_url: Callable[[int], str] | None = None
        if cancel is not None:
            self.cancel_url, token_field, back = cancel
            self.hidden = f'{token_field}\n<input type="hidden" name="next" value="{escape(back)}">\n'

    def __call__(self, rows: Sequence[ParticipantRow]) -> Markup:
        """Return the `<tr>` of each of `rows` as the participant list shows them."""
        t, html = self.t, []
        for row in rows:
            names = "<br>".join(str(escape(name)) for name in row.names)
            household = ""
            if row.household_name is not None:
                household = f"<br><small>{escape(row.household_name)}</small>"
            makeup = (
                ""
                if row.makeup_title is None
                else f"<br><small>{escape(self.makeup % {'title': row.makeup_title})}</small>"
            )
            needs = "".join(
                f"\n<div>{t[key]} {escape(value)}</div>"
                for key, value in (
                    ("diet", row.needs_diet),
                    ("accessibility", row.needs_accessibility),
                    ("interpreter", row.needs_interpreter),
                )
                if value
            )
            parts = [
                f'\n<tr>\n<th scope="row">{names}{household}</th>\n'
                f'<td data-label="{t["kind"]}">{self.kinds[row.participant_kind]}</td>\n'
                f'<td data-label="{t["municipality"]}">{escape(row.municipality_name or "")}</td>\n'
                f'<td data-label="{t["status"]}">\n{self.status(row)}\n{makeup}</td>\n'
                f"<td{self.needs_label if needs else ''}>{needs}\n</td>\n"
            ]
            if self.cancel_url is not None:
                ident = int(row.id)
                parts.append(
                    f"<td>\n<details>\n<summary>{t['cancel']}</summary>\n"
                    f'<form method="post" action="{escape(self.cancel_url(ident))}" class="mt-2">\n'
                    f"{self.hidden}"
                    f'<label class="form-label" for="reason-{ident}">{t["reason"]}</label>\n'
                    f'<textarea class="form-control mb-2" id="reason-{ident}" name="reason" maxlength="300" '
                    'rows="2"></textarea>\n'
                    f'<button class="btn btn-outline-danger btn-sm" type="submit">{t["cancel_signup"]}'
                    "</button>\n</form>\n</details>\n</td>"
                )
            parts.append("\n</tr>")
            html.append("".join(parts))
        # Every value above went through escape(); the token field is the form's own HTML.
        return Markup("".join(html))  # noqa: S704  # nosec B704
