"""The lock files: they pin, with hashes, every dependency pyproject.toml declares, and
every third-party module the bot imports is a declared runtime dependency."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_LOCK = ROOT / "requirements" / "runtime.lock"
DEV_LOCK = ROOT / "requirements" / "dev.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def pins(lock: Path) -> dict[str, tuple[str, int]]:
    """Return {canonical name: (version, number of hashes)} for each pin of a lock file."""
    found: dict[str, tuple[str, int]] = {}
    name = ""
    for line in lock.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            name = canonicalize_name(match[1])
            found[name] = (match[2], 0)
        elif "--hash=sha256:" in line and name:
            version, hashes = found[name]
            found[name] = (version, hashes + 1)
    return found


def declared() -> tuple[list[Requirement], list[Requirement]]:
    """Return pyproject.toml's runtime and dev requirements."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = [Requirement(text) for text in project["dependencies"]]
    dev = [Requirement(text) for text in project["optional-dependencies"]["dev"]]
    return runtime, dev


def test_every_pin_has_a_hash() -> None:
    for lock in (RUNTIME_LOCK, DEV_LOCK):
        locked = pins(lock)
        assert locked, lock
        assert {name for name, (_, hashes) in locked.items() if hashes == 0} == set(), lock


@pytest.mark.parametrize(
    ("lock", "groups"), [(RUNTIME_LOCK, ("runtime",)), (DEV_LOCK, ("runtime", "dev"))]
)
def test_lock_pins_every_declared_requirement_within_its_range(
    lock: Path, groups: tuple[str, ...]
) -> None:
    runtime, dev = declared()
    wanted = {"runtime": runtime, "dev": dev}
    locked = pins(lock)
    for group in groups:
        for requirement in wanted[group]:
            name = canonicalize_name(requirement.name)
            assert name in locked, f"{requirement} is not in {lock.name}"
            assert requirement.specifier.contains(locked[name][0], prereleases=True), (
                f"{lock.name} pins {name}=={locked[name][0]}, outside {requirement}"
            )


def test_runtime_and_dev_locks_agree() -> None:
    runtime, dev = pins(RUNTIME_LOCK), pins(DEV_LOCK)
    assert set(runtime) <= set(dev)
    assert {name: runtime[name][0] for name in runtime} == {name: dev[name][0] for name in runtime}


def imported_top_modules(folder: Path) -> set[str]:
    """Return the top-level module of every absolute import under `folder`."""
    modules: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules


def test_every_third_party_import_of_the_bot_is_a_declared_runtime_dependency() -> None:
    runtime, _ = declared()
    declared_names = {canonicalize_name(requirement.name) for requirement in runtime}
    third_party = imported_top_modules(ROOT / "bot") - set(sys.stdlib_module_names) - {"bot"}
    distributions = packages_distributions()
    undeclared = {
        module
        for module in third_party
        if not {canonicalize_name(d) for d in distributions.get(module, [])} & declared_names
    }
    # aiohttp is imported by bot/metrics.py: it must be declared even though discord.py
    # brings it too.
    assert "aiohttp" in third_party
    assert undeclared == set()


def test_ci_installs_from_the_dev_lock_with_hashes() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q --require-hashes -r requirements/dev.lock" in ci
    assert "pip install -q --no-deps -e ." in ci
