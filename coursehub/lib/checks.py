"""Checks of what the code around has made sure of, kept under `python -O` (unlike assert)."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def known(value: T | None, why: str) -> T:
    """Return `value`, which `why` explains cannot be None here; a None is a bug and raises."""
    if value is None:
        raise RuntimeError(f"unexpected None: {why}")
    return value
