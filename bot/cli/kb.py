"""`kb check`: load a knowledge folder, summarise what it holds and warn about collisions."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from bot.cli.common import Subparsers
from bot.engine import Engine
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.knowledge.loader import DEFAULT_FOLDER, parse_file, quote_facts


def add_parser(subparsers: Subparsers) -> None:
    """Add the `kb` subcommand group (with `check`) to `subparsers`."""
    parser = subparsers.add_parser("kb", help="work with the knowledge files")
    actions = parser.add_subparsers(title="kb commands", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="load and validate a knowledge folder",
        description="Load PATH (default: the project's knowledge/), print what it holds and "
        "any phrasings two intents share. Exit 1 with 'file:line: field: message' on an error, "
        "including each phrasing its intent does not answer (or, in `declines`, answers).",
    )
    check.add_argument("path", nargs="?", type=Path, default=None, metavar="PATH")
    check.add_argument(
        "--strict", action="store_true", help="exit 1 when there are collision warnings too"
    )
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Load the knowledge folder in `args`, print its summary and warnings; exit 1 when a
    phrasing does not answer its own intent."""
    folder: Path = args.path or DEFAULT_FOLDER
    kb = load_knowledge(folder)
    engine = Engine(kb)
    failures = phrasing_failures(engine, folder)
    if failures:
        for failure in failures:
            print(failure, file=sys.stderr)
        return 1
    warnings = engine.phrasing_warnings()
    print(summarise(kb, folder))
    for warning in warnings:
        print(f"warning: {warning}")
    print(f"ok: knowledge loads ({len(warnings)} warning{'' if len(warnings) == 1 else 's'})")
    return 1 if args.strict and warnings else 0


def phrasing_failures(engine: Engine, folder: Path) -> list[str]:
    """Return a 'file:line: field: message' line for each phrasing in `folder` that its
    intent does not answer (or, listed in its `declines`, does not decline)."""
    failures: list[str] = []
    for path in sorted(folder.glob("*.yaml")):
        doc = parse_file(path)
        for index, intent in enumerate(doc.data.get("intents") or []):
            for number, text in enumerate(intent.get("phrasings") or []):
                problem = engine.phrasing_answers(intent["id"], text)
                if problem:
                    error = doc.error(
                        ("intents", index, "phrasings", number), f"{text!r} {problem}"
                    )
                    failures.append(str(error))
    return failures


def summarise(kb: KnowledgeBase, folder: Path) -> str:
    """Return the counts of what `kb`, loaded from `folder`, holds."""
    kinds = Counter(entity.kind for entity in kb.entities.values())
    by_kind = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    made = {fact.id for fact in quote_facts(kb.quotes, kb.entities, kb.intents)}
    from_quotes = len(made & kb.facts.keys())
    rows = [
        ("entities", f"{len(kb.entities)} ({by_kind})"),
        ("intents", str(len(kb.intents))),
        ("facts", f"{len(kb.facts)} ({from_quotes} made from quotes)"),
        ("quotes", str(len(kb.quotes))),
        ("phrasings", str(kb.phrasing_count)),
        ("concepts", str(len(kb.concepts))),
        ("ranking", f"{len(kb.ranking.entries)} entries"),
    ]
    lines = [f"knowledge: {folder}", f"source: {kb.source.citation}, {kb.source.headline!r}"]
    lines += [f"  {name:<10} {value}" for name, value in rows]
    return "\n".join(lines)
