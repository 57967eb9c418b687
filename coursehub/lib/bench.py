"""The load benchmark's data generator: scales, the per-area seeders, and bulk loading.

`flask bench-seed --scale county|national` (coursehub/cli.py) runs the bench seeders that areas
add in their `init_app` with `add_bench_seeder`, in the order of the areas, into an empty
migrated database. Each seeder writes its own area's tables with Core inserts in batches
(executemany, never the ORM row by row) and leaves what later seeders need in `BenchContext.made`.
Everything comes from one `random.Random(seed)`, so a seed gives the same data every time.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any, cast

import sqlalchemy as sa
from flask import Flask

from coursehub.extensions import db

logger = logging.getLogger(__name__)

BENCH_SEEDERS_KEY = "coursehub_bench_seeders"
# Rows per INSERT batch: large enough to amortise the round trip, small enough for SQLite's
# limit on bound parameters (SQLAlchemy splits executemany into multi-row VALUES itself).
BATCH = 5000
# Every generated login has this password (one Argon2 hash, computed once).
BENCH_PASSWORD = "bench-losenord-2026"  # noqa: S105  # nosec B105


@dataclass(frozen=True)
class Scale:
    """How much data a scale means; see benchmarks/README.md for where the figures come from."""

    name: str
    municipalities: int  # member municipalities (the resource's own)
    households: int
    adults_per_household: float  # on average; each household has one or two
    years: int  # of history, ending half a year ahead
    runs: int  # course runs over all the years
    signups_per_run: int  # households signed up to a run that is not a draft, on average
    leaders: int
    venues: int


SCALES = {
    "tiny": Scale("tiny", 3, 30, 1.8, 2, 12, 6, 3, 3),
    "county": Scale("county", 13, 2000, 1.8, 10, 600, 12, 12, 13),
    "national": Scale("national", 290, 30000, 1.83, 10, 5000, 40, 120, 290),
}


@dataclass
class BenchContext:
    """What a bench seeder gets: the scale, the one random source, the time, and what others made."""

    scale: Scale
    rng: random.Random
    now: datetime
    made: dict[str, Any] = field(default_factory=dict)
    # Logins and page arguments for benchmarks/run.sh (written out as JSON by the command).
    targets: dict[str, Any] = field(default_factory=dict)

    def next_id(self, table: sa.FromClause) -> int:
        """Return the first free id of `table` (the seeders give ids themselves: no RETURNING)."""
        return (
            int(db.session.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one()) + 1
        )

    def insert(self, table: sa.FromClause, rows: Iterable[dict[str, Any]]) -> int:
        """Insert `rows` into `table` in batches of `BATCH`; return how many."""
        target = cast(sa.TableClause, table)
        count = 0
        iterator: Iterator[dict[str, Any]] = iter(rows)
        while batch := list(islice(iterator, BATCH)):
            db.session.execute(sa.insert(target), batch)
            count += len(batch)
        logger.info("bench rows: %s %s", target.name, count)
        return count


BenchSeeder = Callable[[BenchContext], None]


def add_bench_seeder(app: Flask, seed: BenchSeeder) -> None:
    """Add an area's part of the benchmark data; `bench-seed` runs them in the order of the areas."""
    app.extensions.setdefault(BENCH_SEEDERS_KEY, []).append(seed)


def bench_seeders(app: Flask) -> Sequence[BenchSeeder]:
    """Return the bench seeders of `app`, in the order the areas added them."""
    return tuple(app.extensions.get(BENCH_SEEDERS_KEY, ()))


def reset_sequences(tables: Iterable[sa.Table]) -> None:
    """Move PostgreSQL's id sequences past the ids the seeders chose (SQLite needs nothing)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        column = table.c.get("id")
        # Integer ids only: a table keyed by a random text (evaluation responses) has no sequence.
        if (
            column is not None
            and column.primary_key
            and column.autoincrement is not False
            and isinstance(column.type, sa.Integer)
        ):
            after = sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0) + 1).scalar_subquery()
            sequence = sa.func.pg_get_serial_sequence(table.name, "id")
            db.session.execute(sa.select(sa.func.setval(sequence, after, False)))


# --- Swedish names and words, written for the generator -------------------------------------

FIRST_NAMES = [
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Emma",
    "Kerstin",
    "Ingrid",
    "Linnea",
    "Elin",
    "Hanna",
    "Johanna",
    "Sofia",
    "Ida",
    "Malin",
    "Frida",
    "Amira",
    "Leila",
    "Noor",
    "Ebba",
    "Maja",
    "Astrid",
    "Signe",
    "Helena",
    "Annika",
    "Camilla",
    "Therese",
    "Jenny",
    "Lars",
    "Johan",
    "Erik",
    "Anders",
    "Per",
    "Karl",
    "Nils",
    "Mikael",
    "Peter",
    "Jonas",
    "Magnus",
    "Fredrik",
    "Daniel",
    "Mattias",
    "Oskar",
    "Gustav",
    "Viktor",
    "Ali",
    "Omar",
    "Hassan",
    "Jussi",
    "Björn",
    "Stefan",
    "Henrik",
    "Tobias",
    "Simon",
    "Emil",
    "Axel",
    "Olle",
    "Pontus",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Bergström",
    "Lundgren",
    "Lundberg",
    "Sandberg",
    "Holm",
    "Ek",
    "Strand",
    "Sjöberg",
    "Nyström",
    "Forsberg",
    "Hedlund",
    "Åberg",
    "Öberg",
    "Wallin",
    "Björk",
    "Sundström",
    "Engström",
    "Ali",
    "Hussein",
    "Mohammed",
    "Nieminen",
    "Korhonen",
    "Novak",
    "Kaya",
    "Yilmaz",
]
PLACE_STEMS = [
    "Ek",
    "Björk",
    "Lind",
    "Al",
    "Sten",
    "Berg",
    "Sjö",
    "Å",
    "Mal",
    "Hag",
    "Hal",
    "Fal",
    "Lid",
    "Kal",
    "Mark",
    "Ros",
    "Bro",
    "Hed",
    "Skog",
    "Ljung",
    "Gran",
    "Ås",
    "Vik",
    "Ny",
    "Hem",
    "Söder",
    "Norr",
    "Väster",
    "Öster",
    "Tors",
    "Frö",
    "Upp",
    "Sala",
    "Vall",
    "Mor",
    "Ström",
    "Kungs",
    "Lands",
    "Tran",
]
PLACE_ENDINGS = [
    "köping",
    "by",
    "hult",
    "måla",
    "sjö",
    "ryd",
    "fors",
    "holm",
    "vik",
    "stad",
    "berg",
    "ås",
    "tuna",
    "näs",
    "red",
    "hed",
    "lösa",
]
STREETS = [
    "Storgatan",
    "Kyrkogatan",
    "Skolgatan",
    "Järnvägsgatan",
    "Torggatan",
    "Parkvägen",
    "Ängsvägen",
    "Björkvägen",
    "Stationsgatan",
    "Nygatan",
    "Hamngatan",
    "Åsvägen",
    "Lärkvägen",
    "Kvarngatan",
    "Prästgårdsgatan",
]


def person_name(rng: random.Random) -> tuple[str, str]:
    """Return a first and a last name."""
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def ascii_slug(text: str) -> str:
    """Return `text` in lower-case ASCII letters, for usernames and e-mail addresses."""
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", " ": "-"})
    return "".join(c for c in text.lower().translate(table) if c.isascii() and (c.isalnum() or c in ".-"))
