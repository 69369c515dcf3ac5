"""The vendored English word lists are exactly what scripts/build_english_words.py writes.

Regenerating them needs wordfreq 3.1.1, which the project does not install; these tests
check, without it, that the script splits words by its rules and that the shipped files
are in its output format (headers, order, rules), so a regeneration changes only words.
"""

from __future__ import annotations

from scripts import build_english_words as build


def words_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_words_are_split_by_frequency_and_shape() -> None:
    frequencies = [
        ("zombies", 4.2),
        ("school", 5.9),
        ("hellbound", 2.4),  # below the rare threshold: likely a name
        ("webtoon", 2.5),
        ("the", 7.7),  # too short
        ("don't", 5.8),  # not a-z
        ("café", 3.6),
        ("suspense", 3.49),
        ("school", 5.9),
    ]
    assert build.split_words(frequencies) == (["school", "zombies"], ["suspense", "webtoon"])


def test_the_shipped_lists_are_in_the_script_format() -> None:
    common_text = build.COMMON_FILE.read_text(encoding="utf-8")
    rare_text = build.RARE_FILE.read_text(encoding="utf-8")
    common, rare = words_of(common_text), words_of(rare_text)

    assert common_text == build.render(build.COMMON_HEADER, common)
    assert rare_text == build.render(build.RARE_HEADER, rare)
    for words in (common, rare):
        assert words == sorted(set(words))
        assert all(build.WORD.fullmatch(w) and len(w) >= build.MIN_LETTERS for w in words)
    assert not set(common) & set(rare)
    assert {"zombie", "school", "director"} <= set(common)


def test_the_licence_is_beside_the_lists() -> None:
    licence = (build.KNOWLEDGE / "WORDFREQ_LICENSE.txt").read_text(encoding="utf-8")
    assert f"version\n{build.WORDFREQ_VERSION}" in licence
    assert "Attribution-ShareAlike 4.0" in licence
    assert "SUBTLEX" in licence  # wordfreq's data must credit the SUBTLEX authors
