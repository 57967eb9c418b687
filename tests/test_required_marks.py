"""A field a form refuses to go without is marked so before anyone sends it (WCAG 2.1, 3.3.2 Labels
or Instructions): a star beside its label, which the form's note explains, and the `required`
attribute a screen reader announces.

The interest registration refused a registration without the consent box ticked, but the box had
no star and no `required`: a stranger learnt it only from the error after sending. The test sends
each public form empty, finds every field the answer marks invalid, and looks for the star and
`required` on that field of the blank form.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from coursehub.extensions import db
from tests.factories import CourseRunFactory, MunicipalityFactory


class Fields(HTMLParser):
    """Each form field of a page (by id): its attributes, and whether its label carries the star."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, dict[str, str | None]] = {}
        self.starred: set[str] = set()
        self._label_for: str | None = None
        self._after_label: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("input", "select", "textarea") and found.get("id") and found.get("type") != "hidden":
            self.fields[str(found["id"])] = found
        if tag == "label":
            self._label_for = found.get("for")
        if tag == "span" and "required-mark" in (found.get("class") or "") and self._after_label:
            self.starred.add(self._after_label)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._after_label, self._label_for = self._label_for, None

    def handle_data(self, data: str) -> None:
        if data.strip() and self._label_for is None:
            self._after_label = None


def _fields(html: str) -> Fields:
    parser = Fields()
    parser.feed(html)
    return parser


def _pages() -> list[str]:
    MunicipalityFactory(name="Vaggeryd")
    run = CourseRunFactory(title="Ett hem att växa i, hösten 2026")
    db.session.commit()
    return ["/bli-familjehem", f"/kurser/{run.id}/ny-familj"]


# The forms a stranger fills in. (A group of checkboxes, such as the adults a family signs up, has
# its star on its legend and no `required`: one box of the group is enough.)
@pytest.mark.parametrize("which", [0, 1], ids=["interest registration", "new family"])
def test_every_field_an_empty_form_is_refused_for_is_marked_required_on_the_blank_form(client, which):
    page = _pages()[which]
    blank = client.get(page).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', blank)
    answer = client.post(page, data={"csrf_token": token.group(1)} if token else {})
    assert answer.status_code in (200, 400, 422), page
    refused = {ident for ident, attrs in _fields(answer.get_data(as_text=True)).fields.items()
               if attrs.get("aria-invalid") == "true"}  # fmt: skip
    assert refused, f"an empty {page} was not refused field by field"
    shown = _fields(blank)
    unmarked = sorted(
        ident for ident in refused if ident not in shown.starred or "required" not in shown.fields[ident]
    )
    assert not unmarked, f"{page}: refused when empty but not marked required: {unmarked}"
