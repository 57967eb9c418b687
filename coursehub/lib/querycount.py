"""An X-Query-Count header on every response, for the load benchmark (off unless configured)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, g, has_request_context

_KEY = "coursehub_query_count"


def init_app(app: Flask) -> None:
    """Count the statements of each request and say the count in a header, if the setting asks."""
    if not app.config.get("COURSEHUB_QUERY_COUNT_HEADER"):
        return
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", _count)
    app.after_request(_header)


def _count(*_args: Any) -> None:
    if has_request_context():
        setattr(g, _KEY, g.get(_KEY, 0) + 1)


def _header(response: Response) -> Response:
    response.headers["X-Query-Count"] = str(g.get(_KEY, 0))
    return response
