"""Pieces of a page written once per process and shown again while what they show stays the same.

For HTML (or an image's text) that many requests write alike from data that cannot change under
its key, and for what it is written from: the report's figures and charts are written from a kept
snapshot (reports.models.ReportSnapshot), and a snapshot's figures never change while its key and
the moment it was counted stay the same (reports.queries holds the sections read from one). The
key must name everything the piece depends on (the data's identity, the language, the script
root, the address's keys); what is not in it is not allowed to change what is written.

`functools.lru_cache` keys a function by its arguments; here the piece is made by whatever the
caller passes (a template macro), so the cache is a small bounded dictionary of its own.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any, Generic, TypeVar

from flask import current_app

T = TypeVar("T")


class Fragments(Generic[T]):
    """At most `size` pieces (HTML as Markup, an SVG, or what they are written from), the least
    recently shown dropped first. A piece is never None: `find` answers None for "not kept"."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._pieces: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = Lock()

    def find(self, key: Hashable) -> T | None:
        """Return the piece kept under `key`, or None."""
        with self._lock:
            found = self._pieces.get(key)
            if found is not None:
                self._pieces.move_to_end(key)
            return found

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """Return the piece kept under `key`, made by `make` (outside the lock) when there is none."""
        found = self.find(key)
        if found is not None:
            return found
        made = make()
        self.put(key, made)
        return made

    def put(self, key: Hashable, piece: T) -> None:
        """Keep `piece` under `key`, in place of any kept there before."""
        with self._lock:
            self._pieces[key] = piece
            self._pieces.move_to_end(key)
            while len(self._pieces) > self.size:
                self._pieces.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pieces.clear()

    def __len__(self) -> int:
        return len(self._pieces)


def app_fragments(key: str, size: int) -> Fragments[Any]:
    """The store of `size` pieces this app keeps under `key` in its extensions, made on first use
    (each worker has its own; a test's app starts without)."""
    found = current_app.extensions.get(key)
    if found is None:
        found = current_app.extensions.setdefault(key, Fragments(size))
    return found
