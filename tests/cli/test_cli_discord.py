"""The Discord subcommands' offline behaviour: run without a token, invite, reports export."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

from bot.cli.reports import export_document
from bot.settings import variable_names
from bot.storage import MissReport, Store, hash_user

SETTINGS = variable_names()


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` in `cwd` with only `env` of the bot's settings set."""
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env={**clean, **(env or {})},
        timeout=60,
        check=False,
    )


def test_run_without_token_says_how_to_get_one(tmp_path: Path) -> None:
    result = run_cli("run", cwd=tmp_path)

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DISCORD_TOKEN is not set" in lines[0]
    assert "https://discord.com/developers/applications" in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_setting_is_one_line_and_hides_the_token(tmp_path: Path) -> None:
    secret = "MTIz.secret-token-value"
    result = run_cli("run", cwd=tmp_path, env={"DISCORD_TOKEN": secret, "SHARD_IDS": "0,1"})

    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "SHARD_COUNT" in result.stderr
    assert secret not in result.stderr + result.stdout


def test_invite_with_client_id_asks_for_only_what_is_needed(tmp_path: Path) -> None:
    result = run_cli("invite", "--client-id", "123456789012345678", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    url = urlparse(result.stdout.strip())
    query = parse_qs(url.query)
    assert url.netloc == "discord.com" and url.path == "/oauth2/authorize"
    assert query["client_id"] == ["123456789012345678"]
    assert query["scope"] == ["bot applications.commands"]
    import discord

    from bot.bot import REQUIRED_PERMISSIONS

    permissions = discord.Permissions(int(query["permissions"][0]))
    assert permissions == REQUIRED_PERMISSIONS
    assert permissions.send_messages and permissions.embed_links
    assert permissions.read_message_history
    assert not permissions.administrator and not permissions.manage_messages
    assert not permissions.mention_everyone
    assert "Send Messages" in result.stderr


def test_invite_without_client_id_or_token(tmp_path: Path) -> None:
    result = run_cli("invite", cwd=tmp_path)
    assert result.returncode == 1
    assert "DISCORD_TOKEN is not set" in result.stderr


def test_sync_rejects_a_bad_guild_id(tmp_path: Path) -> None:
    result = run_cli("sync", "--guild", "abc", cwd=tmp_path)
    assert result.returncode == 2
    assert "not a Discord id" in result.stderr


def make_report(number: int, *, answered: bool = True, question: str | None = None) -> MissReport:
    return MissReport(
        question=question or f"question {number}?",
        answer="I don't know that one." if not answered else f"answer {number}",
        intent=None if not answered else "director",
        confidence=0.41 if not answered else 0.875,
        answered=answered,
        guild_id=111,
        message_id=1000 + number,
        user_hash=hash_user(number, "salt"),
        created_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=number),
    )


def test_export_document_is_a_question_set_to_fill_in() -> None:
    reports = [
        make_report(1),
        make_report(2, answered=False, question="Who plays Nam On-jo?"),
        make_report(3, answered=False, question="who plays  nam on-jo?"),
    ]

    text = export_document(reports, datetime(2026, 2, 1, tzinfo=UTC))

    assert text.startswith("# Miss reports")
    assert "expect" in text.split("questions:")[0]  # the header says how to fill it
    document = yaml.safe_load(text)
    assert list(document) == ["questions"]
    first, second = document["questions"]
    assert first == {
        "q": "question 1?",
        "category": "report",
        "expect": None,
        "bot_answer": "answer 1",
        "answered": True,
        "intent": "director",
        "confidence": 0.88,
        "reported_at": "2026-01-01T00:01:00+00:00",
        "reports": 1,
    }
    assert second["q"] == "Who plays Nam On-jo?"
    assert second["answered"] is False and second["intent"] is None
    assert second["reports"] == 2  # the same question reported twice


def test_reports_export_writes_the_file(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"

    async def seed() -> None:
        async with Store.open(f"sqlite:///{database}") as store:
            for number in range(3):
                await store.add_report(make_report(number))

    asyncio.run(seed())
    target = tmp_path / "reports.yaml"
    env = {"DATABASE_URL": f"sqlite:///{database}"}

    result = run_cli("reports", "export", str(target), cwd=tmp_path, env=env)
    refused = run_cli("reports", "export", str(target), cwd=tmp_path, env=env)
    forced = run_cli("reports", "export", str(target), "--force", cwd=tmp_path, env=env)

    assert result.returncode == 0, result.stderr
    assert "wrote 3 reports" in result.stderr
    questions = yaml.safe_load(target.read_text(encoding="utf-8"))["questions"]
    assert [q["q"] for q in questions] == ["question 0?", "question 1?", "question 2?"]
    assert all(q["category"] == "report" and q["expect"] is None for q in questions)
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert forced.returncode == 0


def test_an_export_with_one_expect_filled_in_evaluates(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    asked = [
        "who directed it?",
        "who plays nam on-jo?",
        "is there a season 3?",
        "who is cheong-san?",
    ]

    async def seed() -> None:
        async with Store.open(f"sqlite:///{database}") as store:
            for number, question in enumerate(asked):
                await store.add_report(make_report(number, question=question))

    asyncio.run(seed())
    target = tmp_path / "misses.yaml"
    env = {"DATABASE_URL": f"sqlite:///{database}"}
    exported = run_cli("reports", "export", str(target), cwd=tmp_path, env=env)
    assert exported.returncode == 0, exported.stderr
    # The maintainer judges the first entry and leaves the rest for later, notes and all.
    header, body = target.read_text(encoding="utf-8").split("\nquestions:\n")
    body = body.replace("expect: null", "expect: Lee Jae-kyoo", 1)
    target.write_text(f"{header}\nquestions:\n{body}", encoding="utf-8")

    result = run_cli("eval", str(target), cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{target}: 4 questions"
    assert "3 questions have no expect yet: skipped" in lines
    assert lines[-1] == "accuracy: in-scope 1/1, declined 0/0, wrong 0"


@pytest.mark.parametrize("args", [["reports"], ["reports", "nonsense"]])
def test_reports_needs_an_action(tmp_path: Path, args: list[str]) -> None:
    assert run_cli(*args, cwd=tmp_path).returncode == 2
