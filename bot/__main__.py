"""Run the command line: `python -m bot --help` lists the subcommands."""

from __future__ import annotations

from bot.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
