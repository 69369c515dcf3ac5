"""The pre-commit hooks: a valid configuration, local (nothing to download), running the
same checks as CI with the project's own tools."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".pre-commit-config.yaml"


def hooks() -> list[dict[str, object]]:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    found: list[dict[str, object]] = []
    for repo in config["repos"]:
        assert repo["repo"] == "local"  # a remote hook would be downloaded
        found.extend(repo["hooks"])
    return found


def test_the_configuration_is_valid() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(CONFIG)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_hooks_run_ci_checks_with_the_project_tools() -> None:
    entries = {str(hook["id"]): str(hook["entry"]).split() for hook in hooks()}
    assert set(entries) == {"ruff", "ruff-format", "mypy"}
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for words in entries.values():
        tool = Path(words[0])
        assert tool.parent == Path(".venv/bin"), words
        # The tool is one the dev extra installs beside this interpreter.
        assert (Path(sys.executable).parent / tool.name).exists(), tool.name
        assert any(line.startswith(" ".join([tool.name, words[1]])) for line in ci), words
