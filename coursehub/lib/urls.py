"""Helpers for URLs: a `next` that came with a request, and a list's row URLs built once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import url_for

from coursehub.lib.checks import known
from coursehub.lib.request_input import has_control_characters

_STAND_IN = 2_147_483_647  # an id no row has: url_for builds with it, the real id takes its place


def safe_next(target: str | None, default_endpoint: str = "pages.index") -> str:
    """Return `target` if it is a path on this site, otherwise the default page's URL."""
    # A line break would reach the Location header (a 500): the request strips control characters
    # from query values, but a posted `next` may keep line breaks (multi-line text may).
    if target and not has_control_characters(target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for(default_endpoint)


def id_urls(endpoint: str, key: str, **values: Any) -> Callable[[int], str]:
    """Return a builder of `endpoint`'s URL for many ids: `url_for` runs once, not once per row.

    `id_urls(endpoint, key, **values)(5)` is `url_for(endpoint, key=5, **values)`; the id may
    stand anywhere in the URL, its query too.
    """
    arguments: dict[str, Any] = {**values, key: _STAND_IN}
    head, found, tail = url_for(endpoint, **arguments).partition(str(_STAND_IN))
    known(found or None, "the stand-in id is in the URL")
    return lambda ident: f"{head}{ident}{tail}"


def url_template(endpoint: str, *keys: str) -> str:
    """Return `endpoint`'s URL as a `str.format` template with a slot for each id in `keys`, in order.

    One `url_for` for many rows; `template.format(*ids)` writes what `url_for` would.
    """
    arguments: dict[str, Any] = {key: _STAND_IN - n for n, key in enumerate(keys)}
    url = url_for(endpoint, **arguments)
    known("{" not in url and "}" not in url or None, "a URL has no braces (url_for quotes them)")
    for n, key in enumerate(keys):
        known(str(arguments[key]) in url or None, "the stand-in id is in the URL")
        url = url.replace(str(arguments[key]), f"{{{n}}}")
    return url
