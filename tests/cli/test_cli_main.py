"""The `python -m bot` entry point: help, usage errors and the subcommand registry."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest

from bot.cli.main import COMMANDS, build_parser, main

RunBot = Callable[..., subprocess.CompletedProcess[str]]


def test_no_subcommand_prints_help_and_exits_0(run_bot: RunBot) -> None:
    result = run_bot()
    assert result.returncode == 0
    assert result.stdout.startswith("usage: python -m bot")
    for name in ("ask", "chat", "eval", "bench", "kb"):
        assert name in result.stdout


def test_unknown_subcommand_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_every_registered_command_sets_a_handler() -> None:
    parser = build_parser()
    for argv in (
        ["ask", "q"],
        ["chat"],
        ["eval", "f.yaml"],
        ["explain", "who directed it"],
        ["bench"],
        ["kb", "check"],
        ["run"],
        ["sync"],
        ["invite"],
        ["reports", "export", "f.yaml"],
        ["db", "upgrade"],
        ["db", "current"],
        ["db", "history"],
    ):
        assert callable(parser.parse_args(argv).handler), argv
    assert len(COMMANDS) == 11
