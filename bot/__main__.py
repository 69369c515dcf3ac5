"""Run the command line: `python -m bot --help` lists the subcommands.

Run by a Python without the project's packages (a bare `python -m bot kb check` in the
project folder), it runs again with the project's `.venv` when there is one, and
otherwise says in one line how to set it up, rather than ending in a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PROJECT_VENV = Path(__file__).resolve().parent.parent / ".venv"
SETUP = "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]'"


def run() -> int:
    """Run the command line, or deal with the packages it needs being missing."""
    try:
        from bot.cli.main import main
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] == "bot":
            raise  # a part of the project itself is missing: a real bug, shown whole
        return without_packages(exc.name or "?")
    return main()


def without_packages(missing: str) -> int:
    """Run again with the project's virtual environment, or say how to make one."""
    python = PROJECT_VENV / "bin" / "python"
    if python.exists() and Path(sys.prefix).resolve() != PROJECT_VENV.resolve():
        os.execv(python, [str(python), "-m", "bot", *sys.argv[1:]])
    print(
        f"python -m bot: the package {missing!r} is not installed for {sys.executable}; "
        f"set the project up first: {SETUP}",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    raise SystemExit(run())
