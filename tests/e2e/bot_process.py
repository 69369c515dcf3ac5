"""Run `python -m bot …` as a real process against the fake Discord, and watch its log.

`BotProcess` starts `python -m bot run` with the fake's endpoints and token in its
environment (and none of the developer's own settings, nor their `.env`: the process
runs in a temporary folder), collects its stderr line by line, and stops it with
SIGTERM like a service manager would.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bot.settings import variable_names

# The bot's settings: cleared from the inherited environment so only the test's apply.
SETTINGS = variable_names()
# How long a wait for the bot gives up after: only a bot that hangs or never gets there
# reaches it, so it is generous. Starting takes seconds (more on a busy machine: imports,
# the knowledge, the database, and 5 s between the IDENTIFYs of two shards).
WAIT = 60.0


def bot_env(fake: Any, workdir: Path, **extra: str) -> dict[str, str]:
    """Return the environment for a bot process on `fake`, its database in `workdir`."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env.update(fake.env)
    env["DATABASE_URL"] = f"sqlite:///{workdir / 'bot.sqlite3'}"
    env["LOG_LEVEL"] = "INFO"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` to completion (the fake must run on its own thread)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


class BotProcess:
    """`python -m bot run` in the background, with its log lines collected."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.lines: list[str] = []
        self._lock = threading.Lock()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            env=env,
            cwd=cwd,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    @property
    def log(self) -> str:
        """Return everything the process printed so far."""
        with self._lock:
            return "\n".join(self.lines)

    def count(self, text: str) -> int:
        """Return how many log lines contain `text`."""
        with self._lock:
            return sum(text in line for line in self.lines)

    def lines_with(self, text: str) -> list[str]:
        """Return the log lines that contain `text`, in order."""
        with self._lock:
            return [line for line in self.lines if text in line]

    async def wait_for_log(self, text: str, *, count: int = 1, timeout: float = WAIT) -> None:
        """Wait until `count` log lines contain `text`; fail with the log if the bot exits."""
        deadline = time.monotonic() + timeout
        while self.count(text) < count:
            if self.proc.poll() is not None:
                self._reader.join(2)
                raise AssertionError(
                    f"bot exited ({self.proc.returncode}) before {text!r}:\n{self.log}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {text!r} in the bot log:\n{self.log}")
            await asyncio.sleep(0.05)

    async def wait_ready(self, timeout: float = WAIT) -> None:
        """Wait until the bot logged that it is ready (once more than before)."""
        await self.wait_for_log("ready as", timeout=timeout)

    def stop(self, timeout: float = 15.0) -> int:
        """Stop the bot with SIGTERM and return its exit code (killing it if it hangs)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._reader.join(5)
        return self.proc.returncode

    async def wait_exit(self, timeout: float = WAIT) -> int:
        """Wait for the process to exit by itself; return its exit code."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"bot did not exit:\n{self.log}")
            await asyncio.sleep(0.05)
        self._reader.join(5)
        return self.proc.returncode
