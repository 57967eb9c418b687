"""The organisation's own details (name, phone, e-mail, address, closure weeks), read from settings.

Another county's resource runs the same code with its own details (DESIGN.md), so nothing here is
written into a template: pages, error pages and e-mails take them from `organisation_details`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Organisation:
    """How people reach the organisation, and when it is closed."""

    name: str
    phone: str
    phone_hours: str
    email: str
    postal_address: tuple[str, ...]
    closure_weeks: tuple[int, ...]

    @property
    def phone_link(self) -> str:
        """Return the phone number as a `tel:` link (+46, digits only)."""
        digits = re.sub(r"\D", "", self.phone)
        if digits.startswith("0"):
            digits = "46" + digits[1:]
        return f"tel:+{digits}"

    def is_closed(self, day: date) -> bool:
        """Return whether `day` falls in one of the closure weeks (ISO week numbers)."""
        return day.isocalendar().week in self.closure_weeks

    def closure_ranges(self) -> list[tuple[int, int]]:
        """Return the closure weeks as runs of consecutive weeks: 28, 29, 30, 52 → (28, 30), (52, 52)."""
        ranges: list[tuple[int, int]] = []
        for week in sorted(set(self.closure_weeks)):
            if ranges and week == ranges[-1][1] + 1:
                ranges[-1] = (ranges[-1][0], week)
            else:
                ranges.append((week, week))
        return ranges


def _weeks(value: Any) -> tuple[int, ...]:
    if isinstance(value, str):
        value = value.split(",")
    return tuple(int(str(week).strip()) for week in value if str(week).strip())


def _lines(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    return tuple(str(line).strip() for line in value if str(line).strip())


def organisation_details(config: Mapping[str, Any]) -> Organisation:
    """Return the organisation's details from the settings (COURSEHUB_ORGANISATION and CONTACT_*)."""
    return Organisation(
        name=str(config["COURSEHUB_ORGANISATION"]),
        phone=str(config["COURSEHUB_CONTACT_PHONE"]),
        phone_hours=str(config["COURSEHUB_CONTACT_PHONE_HOURS"]),
        email=str(config["COURSEHUB_CONTACT_EMAIL"]),
        postal_address=_lines(config["COURSEHUB_CONTACT_POSTAL_ADDRESS"]),
        closure_weeks=_weeks(config["COURSEHUB_CLOSURE_WEEKS"]),
    )
