"""The engine's functions stay small enough to read: cyclomatic complexity at most 15
(radon, a dev dependency), so a newcomer can follow each one."""

from __future__ import annotations

from pathlib import Path

import pytest
from radon.complexity import cc_visit  # type: ignore[import-untyped]

MAX_COMPLEXITY = 15
ENGINE = Path(__file__).resolve().parents[2] / "bot" / "engine"


def _too_complex(source: str) -> list[str]:
    """Return each function or method of `source` above MAX_COMPLEXITY, with its score."""
    return [
        f"{block.fullname} (line {block.lineno}): {block.complexity}"
        for block in cc_visit(source)
        if block.complexity > MAX_COMPLEXITY
    ]


@pytest.mark.parametrize(
    "path", sorted(ENGINE.rglob("*.py")), ids=lambda p: str(p.relative_to(ENGINE))
)
def test_no_engine_function_is_too_complex(path: Path) -> None:
    assert _too_complex(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_a_complex_function() -> None:
    branches = "\n".join(f"    if x == {n}:\n        return {n}" for n in range(MAX_COMPLEXITY))
    source = f"def tangled(x):\n{branches}\n    return -1\n"
    assert _too_complex(source) == ["tangled (line 1): 16"]
    assert _too_complex("def simple(x):\n    return x\n") == []
