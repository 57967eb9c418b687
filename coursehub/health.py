"""Health probes for load balancers and the benchmark: `/healthz` and `/readyz`.

`/healthz` says that the process answers: no database, no session, no template, no user. The
request-wide hooks in `coursehub.web` skip it as they skip static files, and it is exempt from
rate limits, so that a probe every second never locks anyone out and costs next to nothing. It is
also the load benchmark's ceiling (benchmarks/README.md). `/readyz` adds one `SELECT 1`: the
database answers too. Neither says anything about the data.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from coursehub.extensions import db, limiter

logger = logging.getLogger(__name__)

bp = Blueprint("health", __name__)

# Endpoints that load no user and keep no session (coursehub.web skips them like static files).
ENDPOINTS = frozenset({"health.alive", "health.ready"})


def init_app(app: Flask) -> None:
    """Register the probes on `app`."""
    app.register_blueprint(bp)


def _plain(body: str, status: int) -> Response:
    response = Response(body + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"  # a probe's answer is only true now
    return response


@bp.get("/healthz")
@limiter.exempt
def alive() -> Response:
    """Answer that the process runs."""
    return _plain("ok", 200)


@bp.get("/readyz")
@limiter.exempt
def ready() -> Response:
    """Answer whether the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except SQLAlchemyError:
        db.session.rollback()
        logger.warning("readiness probe: the database does not answer")
        return _plain("database unavailable", 503)
    return _plain("ok", 200)
