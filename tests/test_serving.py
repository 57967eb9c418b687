"""gunicorn's settings (coursehub/serving.py): a worker freezes what it has loaded, and serves."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
import urllib.request
import weakref
from pathlib import Path

from coursehub import serving
from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "-c python:coursehub.serving"


class _Cycle:
    """An object in a reference cycle: only the collector can free it."""

    def __init__(self) -> None:
        self.me = self


def test_a_worker_freezes_what_it_has_loaded_and_no_garbage_with_it():
    loaded = _Cycle()
    garbage = _Cycle()
    gone = weakref.ref(garbage)
    del garbage
    assert gone() is not None  # a cycle outlives its last name until a collection
    before = gc.get_freeze_count()
    try:
        serving.post_worker_init(worker=None)
        assert gc.get_freeze_count() > before
        assert gone() is None, "garbage was frozen, to be kept for the worker's life"
        # The oldest generation's collection no longer walks what the worker had loaded.
        assert not any(o is loaded for o in gc.get_objects(generation=2))
    finally:
        gc.unfreeze()


def test_every_way_of_serving_uses_the_settings():
    assert '"-c", "python:coursehub.serving"' in (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert SETTINGS in (ROOT / "benchmarks" / "run.sh").read_text(encoding="utf-8")


def test_gunicorn_serves_with_the_settings(tmp_path):
    port = free_port()
    environment = os.environ | {
        "SECRET_KEY": "serving-test-" + "0" * 32,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serving.db'}",
        "COURSEHUB_SCHEDULER": "",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "gunicorn", *SETTINGS.split(), "-w", "1", "-b", f"127.0.0.1:{port}"]
    server = subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
        [*command, "--no-control-socket", "coursehub:create_app()"],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        answer = None
        deadline = time.monotonic() + 30
        while answer is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
                    answer = (response.status, response.read())
            except OSError:
                time.sleep(0.2)
        said = server.stdout.read1().decode() if server.poll() is not None else ""
        assert answer == (200, b"ok\n"), said
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()
