"""The documentation split by reader (README.md, docs/*.md) stays whole: every relative
link reaches a file and heading that exist, the settings table names real settings, and
no line of prose is written twice (one place per fact; the others link to it)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
SETTING = re.compile(r"`([A-Z][A-Z0-9_]*)`")
# Shorter lines ("| --- | --- |", "Run the tests:") may repeat by nature.
LONG_LINE = 60


def prose_lines(path: Path) -> list[tuple[int, str]]:
    """Return (line number, line) of `path` outside fenced code blocks."""
    lines, fenced = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            lines.append((number, line))
    return lines


def slug(heading: str) -> str:
    """Return GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {slug(line.lstrip("#")) for _, line in prose_lines(path) if re.match(r"#{1,6} ", line)}


def links() -> list[tuple[Path, int, str]]:
    found = []
    for path in DOCS:
        for number, line in prose_lines(path):
            for target in LINK.findall(line):
                if not re.match(r"[a-z]+:", target):  # http:, https:, mailto:
                    found.append((path, number, target))
    return found


def test_the_docs_exist_and_link_to_each_other() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in DOCS}
    assert {"README.md", "docs/operating.md", "docs/knowledge.md", "docs/accuracy.md"} <= names
    readme_targets = {target.partition("#")[0] for path, _, target in links() if path == DOCS[0]}
    assert {"docs/operating.md", "docs/knowledge.md", "docs/accuracy.md"} <= readme_targets


@pytest.mark.parametrize(
    ("path", "number", "target"),
    links(),
    ids=[f"{p.relative_to(ROOT)}:{n}:{t}" for p, n, t in links()],
)
def test_a_relative_link_reaches_a_file_and_heading(path: Path, number: int, target: str) -> None:
    file_part, _, anchor = target.partition("#")
    destination = (path.parent / file_part).resolve() if file_part else path
    assert destination.exists(), f"{path.name}:{number}: {target} (no such file)"
    if anchor:
        where = f"{path.name}:{number}: {target}"
        assert destination.suffix == ".md", f"{where} (an anchor needs a markdown file)"
        assert anchor in anchors(destination), f"{where} (no such heading)"


def settings_table() -> list[str]:
    """Return every variable named in the first cell of the operating docs' settings table."""
    lines = [line for _, line in prose_lines(ROOT / "docs" / "operating.md")]
    start = lines.index("## Settings")
    names = []
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        if line.startswith("| `"):
            names += SETTING.findall(line.split("|")[1])
    return names


def test_every_documented_setting_is_a_real_one() -> None:
    documented = settings_table()
    fields = set(Settings.model_fields)

    assert documented, "the settings table is missing"
    assert [name for name in documented if name.lower() not in fields] == []


def test_every_real_setting_is_documented() -> None:
    documented = {name.lower() for name in settings_table()}

    assert sorted(set(Settings.model_fields) - documented) == []


def test_no_line_of_prose_is_written_twice() -> None:
    seen: dict[str, list[str]] = defaultdict(list)
    for path in DOCS:
        for number, line in prose_lines(path):
            text = " ".join(line.split())
            if len(text) > LONG_LINE:
                seen[text].append(f"{path.relative_to(ROOT)}:{number}")

    assert {text: places for text, places in seen.items() if len(places) > 1} == {}
