"""The demo seeders that areas add in their `init_app`, run in order by `flask seed-demo`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from flask import Flask

SEEDERS_KEY = "coursehub_demo_seeders"
# `seed(now)` adds what is missing of an area's demo data; it returns the demo logins it made,
# as (roles, username, e-mail), or None.
Seeder = Callable[[datetime], list[tuple[str, str, str]] | None]


def add_demo_seeder(app: Flask, seed: Seeder) -> None:
    """Add an area's demo seeder; `seed-demo` runs them in the order the areas were set up."""
    app.extensions.setdefault(SEEDERS_KEY, []).append(seed)


def demo_seeders(app: Flask) -> Sequence[Seeder]:
    """Return the demo seeders of `app`, in the order the areas added them."""
    return tuple(app.extensions.get(SEEDERS_KEY, ()))
