"""gunicorn's settings for the web workers: `gunicorn -c python:coursehub.serving 'coursehub:create_app()'`.

The command line still names the address and the number of workers (the Dockerfile,
benchmarks/run.sh); this module holds what a worker does to itself once it is up.
"""

from __future__ import annotations

import gc


def post_worker_init(worker) -> None:
    """Once the app is loaded: move what exists now out of the garbage collector's sight.

    A loaded worker holds about 250,000 objects that live as long as it does (modules, the app,
    its routes, SQLAlchemy's mappers, Babel's catalogues). Python's oldest-generation collection
    walks all of them now and then (once in 2,550 requests of the key pages, in-process), and the
    request it falls on waits ~110 ms on this machine, with the connections queued behind it.
    Frozen, they are skipped: that collection walks only what the requests have made since, ~20 ms.
    Nothing frozen is garbage: a full collection runs first. Python's documentation recommends
    `gc.freeze` for servers like this one.
    """
    gc.collect()
    gc.freeze()
