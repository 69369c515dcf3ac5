"""The Dockerfile and compose.yaml, checked as far as a machine without a container
runtime can: what they install, run, expose and set, against the repo, the lock, the
docs and `Settings`; and the health check they run, against the real endpoint."""

from __future__ import annotations

import asyncio
import fnmatch
import json
import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from bot import healthcheck
from bot.cli.main import build_parser
from bot.metrics import Metrics, serve_metrics
from bot.settings import Settings, load_settings, variable_names
from bot.storage import normalize_database_url
from tests.test_metrics import FakeClient

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
OPERATING = (ROOT / "docs" / "operating.md").read_text(encoding="utf-8")


def instructions() -> list[tuple[str, str]]:
    """Return the Dockerfile's (INSTRUCTION, arguments), continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n", " ", text)
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), " ".join(rest.split())))
    return found


def arguments(keyword: str) -> list[str]:
    return [rest for name, rest in instructions() if name == keyword]


def exec_form(rest: str) -> list[str]:
    """Return the JSON exec form of CMD or HEALTHCHECK's CMD as a list."""
    return list(json.loads(rest[rest.index("[") :]))


def base_images() -> list[str]:
    """Return each stage's base image, with the ARG defaults given before the first FROM."""
    defaults = {}
    for rest in arguments("ARG"):
        name, _, value = rest.partition("=")
        defaults[name] = value
    images = []
    for rest in arguments("FROM"):
        image = rest.split()[0]
        images.append(re.sub(r"\$\{(\w+)\}", lambda m: defaults[m[1]], image))
    return images


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def test_the_image_is_built_in_stages_on_the_slim_python_of_the_lock() -> None:
    images = base_images()
    lock_header = (ROOT / "requirements" / "runtime.lock").read_text(encoding="utf-8")
    python = re.search(r"with Python (\d+\.\d+)", lock_header)
    assert python is not None
    assert len(images) >= 2
    assert all(image.startswith(f"python:{python[1]}-slim") for image in images), images


def test_the_image_installs_the_runtime_lock_with_hashes_and_nothing_else() -> None:
    copies = {
        shlex.split(rest)[-1]: shlex.split(rest)[0]
        for rest in arguments("COPY")
        if not rest.startswith("--from")
    }
    installs = [rest for rest in arguments("RUN") if "pip install" in rest]
    assert len(installs) == 1
    words = shlex.split(installs[0])
    assert "--require-hashes" in words
    lock = words[words.index("-r") + 1]
    assert copies[lock] == "requirements/runtime.lock"


def test_every_copied_path_is_in_the_build_context() -> None:
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert ".env" in ignored  # the token never goes into an image
    for rest in arguments("COPY"):
        if rest.startswith("--from"):
            continue
        source = shlex.split(rest)[0]
        assert (ROOT / source).exists(), source
        assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), source


def test_the_bot_runs_as_an_unprivileged_user() -> None:
    users = arguments("USER")
    assert users
    assert users[-1] not in {"root", "0", "0:0"}
    assert any("useradd" in rest and rest.endswith(users[-1]) for rest in arguments("RUN"))


def test_the_command_is_the_readme_run_command() -> None:
    command = exec_form(arguments("CMD")[-1])
    assert command == ["python", "-m", "bot", "run"]
    assert "python -m bot run" in README
    parsed = build_parser().parse_args(command[3:])
    assert parsed.handler.__module__ == "bot.cli.run"


def test_the_exposed_port_is_the_documented_and_composed_one() -> None:
    exposed = arguments("EXPOSE")
    assert len(exposed) == 1
    port = exposed[0]
    bot = compose()["services"]["bot"]
    assert bot["environment"]["METRICS_PORT"] == port
    assert any(str(mapping).endswith(f":{port}") for mapping in bot["ports"])
    assert f"port {port}" in OPERATING


def test_the_health_check_asks_the_health_module() -> None:
    (rest,) = arguments("HEALTHCHECK")
    assert exec_form(rest) == ["python", "-m", "bot.healthcheck"]


def test_compose_sets_only_real_settings_and_wires_the_database() -> None:
    services = compose()["services"]
    bot, db = services["bot"], services["db"]
    assert set(bot["environment"]) <= set(variable_names())
    assert bot["env_file"] == ".env"  # the token comes from .env, never from compose.yaml
    assert "DISCORD_TOKEN" not in bot["environment"]
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"

    assert db["image"] == "postgres:15"
    assert "healthcheck" in db
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose()["volumes"]

    url = urlsplit(bot["environment"]["DATABASE_URL"])
    assert url.hostname == "db"
    assert url.username == db["environment"]["POSTGRES_USER"]
    assert url.path.lstrip("/") == db["environment"]["POSTGRES_DB"]
    assert normalize_database_url(bot["environment"]["DATABASE_URL"]).startswith(
        "postgresql+asyncpg://"
    )


def test_compose_settings_load(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in variable_names():
        monkeypatch.delenv(name, raising=False)
    for name, value in compose()["services"]["bot"]["environment"].items():
        # ${VAR:-default} is compose's interpolation; take the default here.
        monkeypatch.setenv(name, re.sub(r"\$\{\w+:-(\w*)\}", r"\1", str(value)))
    settings = load_settings(env_file=None)
    assert settings.metrics_port == 9100
    assert settings.metrics_host == "0.0.0.0"


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("0.0.0.0", "http://127.0.0.1:9100/healthz"),
        ("127.0.0.1", "http://127.0.0.1:9100/healthz"),
        ("::1", "http://[::1]:9100/healthz"),
    ],
)
def test_the_health_url_is_reached_from_the_same_machine(host: str, url: str) -> None:
    assert healthcheck.health_url(Settings(metrics_port=9100, metrics_host=host)) == url


def test_without_a_metrics_port_there_is_nothing_to_ask(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.delenv("METRICS_PORT", raising=False)
    assert healthcheck.main() == 0
    assert "METRICS_PORT is not set" in capsys.readouterr().out


async def test_the_check_passes_only_once_the_bot_is_ready(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    metrics = Metrics()
    client = FakeClient()
    metrics.watch(client)
    async with serve_metrics(metrics, "127.0.0.1", 0) as (_, port):
        monkeypatch.setenv("METRICS_PORT", str(port))
        monkeypatch.setenv("METRICS_HOST", "127.0.0.1")
        # The check blocks (urllib): run it in a thread while this loop serves.
        assert await asyncio.to_thread(healthcheck.main) == 1
        client.ready = True
        assert await asyncio.to_thread(healthcheck.main) == 0
    # The endpoint has gone: no answer is unhealthy.
    assert await asyncio.to_thread(healthcheck.main) == 1
