"""`reports export FILE.yaml`: write the miss reports as a question set to turn into tests.

Each reported question becomes one entry of the eval format (`questions:` list of q,
category, expect) with `category: report` and `expect: null`, plus what the bot said
(`bot_answer`, `answered`, `intent`, `confidence`), when it was first reported and how
often. A header comment tells the maintainer how to fill `expect`. Reports of the same
question that got the same answer are merged into one entry.

The file is a question set `python -m bot eval` reads as it is: the notes are allowed, and
entries whose `expect` is still null are skipped (and counted), so a maintainer can fill
in a few, evaluate, and go on.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.cli.common import CommandError, Subparsers
from bot.cli.discord_common import bot_settings

if TYPE_CHECKING:
    from bot.storage import MissReport

CATEGORY = "report"
HEADER = """\
# Miss reports exported from the trivia bot on {when}: {reports} reports of {questions} questions.
#
# Each entry is a question someone flagged under the bot's reply, with "Wrong answer?"
# (answered: true) or "Should I know this?" (answered: false). To turn one into a test:
#   1. set `expect` to text the right answer must contain, or to `decline` when the
#      article really does not answer it (then the bot was right to decline);
#   2. check it: `python -m bot eval THIS_FILE` grades the entries with an `expect` and
#      skips (and counts) those still holding `expect: null`;
#   3. move the entry to a question set such as tests/questions/dev.yaml. The fields
#      after `expect` (bot_answer to reports) are notes for you: eval ignores them, so
#      keep or delete them.
"""


@dataclass
class _Entry:
    """One reported question and answer, with every report of it."""

    first: MissReport
    count: int = 1

    def to_yaml(self) -> dict[str, Any]:
        report = self.first
        return {
            "q": report.question,
            "category": CATEGORY,
            "expect": None,
            "bot_answer": report.answer,
            "answered": report.answered,
            "intent": report.intent,
            "confidence": round(report.confidence, 2),
            "reported_at": report.created_at.isoformat(timespec="seconds"),
            "reports": self.count,
        }


def add_parser(subparsers: Subparsers) -> None:
    """Add the `reports` subcommand (with `export`) to `subparsers`."""
    parser = subparsers.add_parser(
        "reports",
        help="work with the miss reports users filed",
        description="Miss reports are filed with the button under the bot's answers.",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="write every report as an eval question set",
        description="Write every miss report in DATABASE_URL to FILE as an eval question "
        "set (category: report, expect: null to fill in). '-' writes to stdout.",
    )
    export.add_argument("file", metavar="FILE.yaml", help="where to write ('-': stdout)")
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    export.set_defaults(handler=run_export)


def export_document(reports: Sequence[MissReport], now: datetime) -> str:
    """Return the question-set YAML, with its header comment, for `reports` (oldest first)."""
    entries: dict[tuple[str, str], _Entry] = {}
    for report in reports:
        key = (" ".join(report.question.casefold().split()), report.answer)
        if key in entries:
            entries[key].count += 1
        else:
            entries[key] = _Entry(report)
    header = HEADER.format(
        when=now.astimezone(UTC).isoformat(timespec="seconds"),
        reports=len(reports),
        questions=len(entries),
    )
    body = yaml.safe_dump(
        {"questions": [e.to_yaml() for e in entries.values()]},
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return header + body


async def _all_reports(database_url: str) -> list[MissReport]:
    from bot.storage import Store

    async with Store.open(database_url) as store:
        return await store.all_reports()


def run_export(args: argparse.Namespace) -> int:
    """Write the reports to `args.file` (or stdout) and say how many on stderr."""
    settings = bot_settings()
    target = None if args.file == "-" else Path(args.file)
    if target is not None and target.exists() and not args.force:
        raise CommandError(f"{target} exists: pass --force to overwrite it")

    from bot.storage import StoreError

    try:
        reports = asyncio.run(_all_reports(settings.database_url))
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    document = export_document(reports, datetime.now(UTC))
    if target is None:
        sys.stdout.write(document)
    else:
        try:
            target.write_text(document, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{target}: cannot write: {exc.strerror}") from None
        print(f"wrote {len(reports)} reports to {target}", file=sys.stderr)
    return 0
