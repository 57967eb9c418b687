"""Loading the tiny bench set in a test, once or a second time into another empty database."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from coursehub import create_app
from coursehub.extensions import db


def load(runner, tmp_path, seed: int) -> dict:
    """Run `flask bench-seed --scale tiny` with `seed`; return the targets it wrote."""
    targets = tmp_path / f"targets-{seed}.json"
    result = runner.invoke(
        args=["bench-seed", "--scale", "tiny", "--seed", str(seed), "--targets", str(targets)]
    )
    assert result.exit_code == 0, result.output
    assert "loaded" in result.output
    return json.loads(targets.read_text())


def load_elsewhere(app, template_database, tmp_path, seed: int, read: Callable[[], Any]) -> Any:
    """Load `seed` into a second empty database (an app of its own) and return `read()` there."""
    url, drop = template_database()
    other = create_app({**app.config, "SQLALCHEMY_DATABASE_URI": url})
    try:
        with other.app_context():
            load(other.test_cli_runner(), tmp_path, seed)
            found = read()
            db.session.remove()
            db.engine.dispose()
    finally:
        drop()
    return found
