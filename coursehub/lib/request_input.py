"""Control characters never get past the request: the one place where they are stripped.

A NUL byte in text is refused by PostgreSQL (a 500 where it should be a message), and the other
control characters (escape codes, backspace, the C1 range) are nothing a person types: they come
from scripts and broken copy-and-paste, and would end up in names, mail headers and spreadsheets.
So every value the application reads from a request is cleaned as the request parses it, before
any hook, form or view sees it:

- path values (`/intyg/<code>`) and query values (`?sok=`) lose every control character: they are
  single-line by nature, and a line break in `?next=` would otherwise reach a redirect header;
- posted form values lose every control character except tab, line feed and carriage return, which
  multi-line text (a textarea) may hold. Single-line form fields refuse those three as well; only
  the form knows which field is which, so that rule lives in `coursehub.lib.forms.BaseForm`;
- names (query and form keys) are cleaned like their values, and JSON bodies like form values.

Stripping, not refusing: the characters are invisible, so a message about them would name nothing
the person can see or fix, and a link copied with a stray one still works. Uploaded files are
not text and are left alone. `create_app` installs `CleanRequest` as the app's request class
(through `coursehub.web.init_app`), so the forms of every area, present and future, get clean input.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

# Unicode category Cc: C0 controls, DEL and the C1 controls.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# The same but tab, line feed and carriage return, which multi-line text may hold.
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control_characters(text: str, *, multiline: bool = False) -> str:
    """Return `text` without control characters; `multiline` keeps tab, line feed and CR."""
    return (_CONTROL_BUT_LINES if multiline else _CONTROL).sub("", text)


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """Tell whether `text` holds a control character (tab and line breaks allowed if `multiline`)."""
    return (_CONTROL_BUT_LINES if multiline else _CONTROL).search(text) is not None


def _clean(value: Any, *, multiline: bool) -> Any:
    if isinstance(value, str):
        return strip_control_characters(value, multiline=multiline)
    if isinstance(value, list):
        return [_clean(item, multiline=multiline) for item in value]
    if isinstance(value, dict):
        return {
            _clean(key, multiline=multiline): _clean(item, multiline=multiline) for key, item in value.items()
        }
    return value  # an uploaded file, a number, None


class _CleanParameters(ImmutableMultiDict):
    """Posted form fields (and uploaded files, left alone) as werkzeug parses them, cleaned."""

    def __init__(self, mapping: Any = None) -> None:
        # Whatever werkzeug passes (pairs, a dict, a MultiDict), read as a MultiDict, then cleaned.
        pairs = MultiDict(mapping).items(multi=True)
        super().__init__(
            [(_clean(key, multiline=True), _clean(value, multiline=True)) for key, value in pairs]
        )


class CleanRequest(Request):
    """The app's request: path, query and form values come without control characters."""

    parameter_storage_class = _CleanParameters
    _clean_view_args: dict[str, Any] | None = None

    @cached_property
    def args(self) -> ImmutableMultiDict[str, str]:
        """The query string, every control character stripped (query values are single-line)."""
        pairs = super().args.items(multi=True)
        return ImmutableMultiDict(
            [(_clean(key, multiline=False), _clean(value, multiline=False)) for key, value in pairs]
        )

    @property
    def view_args(self) -> dict[str, Any] | None:
        """The values taken from the path, every control character stripped."""
        return self._clean_view_args

    @view_args.setter
    def view_args(self, value: dict[str, Any] | None) -> None:
        self._clean_view_args = None if value is None else _clean(value, multiline=False)

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        """Parse a JSON body as Flask does; its text cleaned like posted form values."""
        return _clean(super().get_json(force=force, silent=silent, cache=cache), multiline=True)
