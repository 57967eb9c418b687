"""Whose registers must be checked, and Swedish identity numbers in their one stored form.

Register checks cover every adult of the household and every child in the home of at least the
check age (COURSEHUB_RECRUITMENT_CHECK_AGE); BRA-fam is answered by every adult. Identity numbers
are asked for only here, checked (python-stdnum's Luhn check digit, a real date, coordination
numbers) and kept as 12 ASCII digits (SECURITY.md, Input and output).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from stdnum import luhn
from stdnum.se import personnummer

from coursehub.recruitment.models import Case, CaseChild, ChecklistEntry, Register, RegisterCheck


def canonical_identity_number(value: str, *, today: date) -> str | None:
    """Return a Swedish identity or coordination number as 12 digits (YYYYMMDDNNNN), or None.

    Only ASCII digits and the usual separators are taken: a hyphen, or a plus for someone past a
    hundred. A 10-digit number gets the century that puts the birth date in the last hundred years
    (the one before with a plus). The check digit is python-stdnum's Luhn; a coordination number
    has 60 added to the day of birth.
    """
    text = (value or "").strip().replace(" ", "")
    if not text or not all(ch.isascii() and (ch.isdigit() or ch in "-+") for ch in text):
        return None
    digits = text.replace("-", "").replace("+", "")
    if len(digits) not in (10, 12) or text.count("-") + text.count("+") > 1:
        return None
    if len(digits) == 10:
        century = today.year // 100
        if int(digits[:2]) > today.year % 100:
            century -= 1
        if "+" in text:
            century -= 1
        digits = f"{century:02d}{digits}"
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    if day > 60:
        day -= 60  # a coordination number
    try:
        born = date(year, month, day)
    except ValueError:
        return None
    if born > today or not luhn.is_valid(digits[2:]):
        return None
    # python-stdnum's own rule for identity numbers (its version here knows no coordination numbers).
    if int(digits[6:8]) <= 31 and not personnummer.is_valid(digits):
        return None
    return digits


def children_to_check(case: Case, check_age: int) -> list[CaseChild]:
    """Return the children in the home whose registers are checked."""
    return [child for child in case.children if child.age >= check_age]


def missing_checks(
    case: Case, checks: Iterable[RegisterCheck], questionnaires: Iterable[ChecklistEntry], *, check_age: int
) -> list[tuple[str, int, Any]]:
    """Return what is still to be checked: (person kind, person id, register or "questionnaire")."""
    checks = list(checks)
    done = {("adult", c.adult_id, c.register) for c in checks if c.adult_id is not None}
    done |= {("child", c.child_id, c.register) for c in checks if c.child_id is not None}
    answered = {entry.adult_id for entry in questionnaires}
    missing: list[tuple[str, int, Any]] = []
    for adult in case.adults:
        missing += [("adult", adult.id, r) for r in Register if ("adult", adult.id, r) not in done]
        if adult.id not in answered:
            missing.append(("adult", adult.id, "questionnaire"))
    for child in children_to_check(case, check_age):
        missing += [("child", child.id, r) for r in Register if ("child", child.id, r) not in done]
    return missing
