"""The form fields of a page as the server sent it: each field's attributes by id, and which labels
carry the required star (for tests that read a form's markup without a browser)."""

from __future__ import annotations

from html.parser import HTMLParser


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


def form_fields(html: str) -> Fields:
    """Return the form fields of the page `html`."""
    parser = Fields()
    parser.feed(html)
    return parser
