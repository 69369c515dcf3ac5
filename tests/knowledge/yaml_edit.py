"""Helpers for tests that break a copy of the knowledge: edit its YAML, find a line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def load_facts(folder: Path) -> dict[str, Any]:
    """Return the parsed facts.yaml of `folder`."""
    data = yaml.safe_load((folder / "facts.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def dump_facts(folder: Path, data: dict[str, Any]) -> list[str]:
    """Write `data` as the facts.yaml of `folder`, a field per line; return the file's lines."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100_000)
    (folder / "facts.yaml").write_text(text, encoding="utf-8")
    return text.splitlines()


def line_number(lines: list[str], text: str, occurrence: int = 1) -> int:
    """Return the 1-based number of the line holding `text` for the `occurrence`-th time."""
    return [number for number, line in enumerate(lines, 1) if text in line][occurrence - 1]


def intent_index(folder: Path, intent_id: str) -> int:
    """Return the position of `intent_id` in the intents.yaml of `folder`."""
    data = yaml.safe_load((folder / "intents.yaml").read_text(encoding="utf-8"))
    return [intent["id"] for intent in data["intents"]].index(intent_id)


def item_index(lines: list[str], line: int) -> int:
    """Return the position in its list of the item ("  - id: …") that holds line `line`."""
    starts = [n for n, text in enumerate(lines, 1) if text.startswith("  - id:")]
    return sum(1 for start in starts if start <= line) - 1


def replace_line(path: Path, old: str, new: str) -> tuple[int, list[str]]:
    """Replace the line `old` of `path` by `new`; return its number and the lines before."""
    lines = path.read_text(encoding="utf-8").splitlines()
    line = line_number(lines, old)
    path.write_text("\n".join([*lines[: line - 1], new, *lines[line:]]) + "\n", encoding="utf-8")
    return line, lines
