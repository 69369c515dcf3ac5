"""`db upgrade|current|history`: the schema's revisions on DATABASE_URL, by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.main import main
from bot.settings import variable_names
from bot.storage.migrate import head_revision, revisions


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point DATABASE_URL at a SQLite file not made yet; no other setting, no .env."""
    for name in variable_names():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "data" / "bot.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["db", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_upgrade_then_current(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = head_revision()
    assert run(capsys, "current") == (
        0,
        f"no revision: run `python -m bot db upgrade` (newest: {head})\n",
        "",
    )
    code, out, _ = run(capsys, "upgrade")
    assert (code, out) == (0, f"database upgraded from revision (none) to {head}\n")
    code, out, _ = run(capsys, "upgrade")
    assert (code, out) == (0, f"database already at revision {head}: nothing to do\n")
    assert run(capsys, "current") == (0, f"{head} (newest)\n", "")
    assert database.is_file()


def test_history_lists_every_revision(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "history")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == [r.id for r in revisions()]
    assert out.startswith("0001  The schema of the last release before alembic")


def test_an_unreachable_database_is_one_line(
    database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://trivia:s3cr3t@127.0.0.1:1/trivia")
    code, out, err = run(capsys, "current")
    assert (code, out) == (1, "")
    assert err.startswith("database unavailable (PostgreSQL 127.0.0.1:1/trivia)")
    assert err.count("\n") == 1
    assert "s3cr3t" not in err
