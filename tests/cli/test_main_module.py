"""`python -m bot` run by a Python that lacks the project's packages."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import bot.__main__ as entry


class Execed(Exception):
    """Raised by the stand-in for `os.execv`, which would replace the process."""


def fake_execv(path: object, argv: list[str]) -> None:
    raise Execed(path, argv)


@pytest.fixture
def venv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project .venv with a python in it, where `execv` only records the call."""
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    monkeypatch.setattr(entry, "PROJECT_VENV", venv)
    monkeypatch.setattr(entry.os, "execv", fake_execv)
    return venv


def test_it_runs_again_with_the_project_venv(venv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["bot/__main__.py", "kb", "check"])

    with pytest.raises(Execed) as ran:
        entry.without_packages("rapidfuzz")

    python = venv / "bin" / "python"
    assert ran.value.args == (python, [str(python), "-m", "bot", "kb", "check"])


def test_without_a_venv_it_says_how_to_set_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(entry, "PROJECT_VENV", tmp_path / ".venv")  # not made
    monkeypatch.setattr(entry.os, "execv", fake_execv)

    assert entry.without_packages("rapidfuzz") == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "'rapidfuzz' is not installed" in captured.err
    assert entry.SETUP in captured.err


def test_inside_the_venv_it_does_not_run_itself_again(
    venv: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "prefix", str(venv))

    assert entry.without_packages("rapidfuzz") == 1
    assert "set the project up first" in capsys.readouterr().err


def test_a_missing_module_of_the_project_itself_is_not_hidden(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "bot.cli.main", None)  # importing it now fails

    with pytest.raises(ModuleNotFoundError):
        entry.run()
