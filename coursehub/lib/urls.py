"""Helpers for URLs that come from a request."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for

from coursehub.lib.request_input import has_control_characters


def safe_next(target: str | None, default_endpoint: str = "pages.index") -> str:
    """Return `target` if it is a path on this site, otherwise the default page's URL."""
    # A line break would reach the Location header (a 500): the request strips control characters
    # from query values, but a posted `next` may keep line breaks (multi-line text may).
    if target and not has_control_characters(target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for(default_endpoint)
