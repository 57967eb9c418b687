"""A person's own data: the providers that areas add in their `init_app`, for export and erasure.

The contract (SECURITY.md, "A person can get an export of all their own data"; issue 23):

- Each area that keeps rows about a person declares one `Provider` in its own module
  (`coursehub/<area>/personal_data.py`) and adds it with `add_personal_data_provider` in
  `init_app`. lib imports no area, so the person is typed as the `Person` protocol below (a
  `User` fits it; the name and phone let an area find mail and text that name the person).
- `tables` names every table the provider covers. tests/test_personal_data_coverage.py walks
  `Base.metadata` and fails for a table that refers to a person (a foreign key to `users` or
  `households`, or an e-mail column) that no provider covers and no exclusion explains.
- `export(person)` returns what the area holds about the person and their household:
  `{readable key: [row, ...]}`, each row a dict of readable keys and JSON-safe values (str, int,
  float, bool, None; dates as ISO strings: `json_safe` converts). It never includes what the law
  keeps from them (other people's posts, staff's internal notes and assessments); the provider's
  docstring says its rule.
- `erase(person, context)` deletes or anonymises the area's rows about the person, in the caller's
  transaction (no commit). Rows that figures count are kept with their dates, municipality and
  outcomes, but lose names, addresses, free text and e-mail. Erasure runs the providers in the
  reverse order of the areas, so higher areas finish with a person before the rows they refer to
  (the account itself, in accounts) change.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from flask import Flask

PROVIDERS_KEY = "coursehub_personal_data_providers"
# The domain of every address erasure leaves behind: never deliverable (.invalid, RFC 2606).
ERASED_DOMAIN = "@borttagen.invalid"

JsonValue = str | int | float | bool | None
Rows = dict[str, list[dict[str, JsonValue]]]


class Person(Protocol):
    """The person whose data is exported or erased (accounts' `User` fits)."""

    @property
    def id(self) -> int: ...

    @property
    def household_id(self) -> int | None: ...

    @property
    def email(self) -> str: ...

    @property
    def full_name(self) -> str: ...

    @property
    def phone(self) -> str | None: ...


@dataclass(frozen=True)
class ErasureContext:
    """Why and by whom a person is erased, and when (the clock's time).

    `whole_household` is true when the person is the last adult of their household still holding
    an account: then the rows about the household as a whole (its name, sign-ups' free text, its
    recruitment case) are anonymised too; otherwise only the person's own rows are.
    """

    actor_id: int | None
    reason: str
    now: datetime
    whole_household: bool = False


@dataclass(frozen=True)
class Provider:
    """One area's part of a person's data."""

    area: str
    tables: tuple[str, ...]
    export: Callable[[Person], Rows]
    erase: Callable[[Person, ErasureContext], None]


def add_personal_data_provider(app: Flask, provider: Provider) -> None:
    """Add an area's provider; export and erasure use every provider of the app."""
    app.extensions.setdefault(PROVIDERS_KEY, []).append(provider)


def personal_data_providers(app: Flask) -> Sequence[Provider]:
    """Return the providers of `app`, in the order the areas were set up."""
    return tuple(app.extensions.get(PROVIDERS_KEY, ()))


def covered_tables(app: Flask) -> frozenset[str]:
    """Return the names of the tables that some provider covers."""
    return frozenset(name for provider in personal_data_providers(app) for name in provider.tables)


def export_person(app: Flask, person: Person) -> dict[str, Rows]:
    """Return every area's export of `person`, keyed by area, in the order of the areas."""
    return {provider.area: provider.export(person) for provider in personal_data_providers(app)}


def erase_person(app: Flask, person: Person, context: ErasureContext) -> None:
    """Erase or anonymise `person` through every provider, highest area first (no commit)."""
    for provider in reversed(personal_data_providers(app)):
        provider.erase(person, context)


def json_safe(value: object) -> JsonValue:
    """Return `value` as a JSON-safe value: dates as ISO strings, enums as their values."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def row(values: Mapping[str, object]) -> dict[str, JsonValue]:
    """Return one exported row with every value made JSON-safe."""
    return {key: json_safe(value) for key, value in values.items()}
