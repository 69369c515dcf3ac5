"""Shows described instead of named: "how many hours did the show that came fifth get?",
"when did the series adapted from joo dong-geun's webtoon premiere?".

A description is a noun phrase ("the show", "the k-drama", "the series") followed by what
sets it apart ("that came fifth", "based on 'now at our school'"). Its words describe the
show, and read as part of the question they pull it towards the wrong intent (the place,
the webtoon). So the description is read on its own, as "which show is …" through the
engine's own reading; when that names one show, the question is read again with the name in
the description's place, and that reading answers if it is surer than the first one. "The
story about …" (a noun calling the article itself) is the article, whatever follows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.engine.answer import Answer
from bot.engine.text import stem, stems, tokens

if TYPE_CHECKING:
    from bot.engine.engine import Engine

SHOW_KIND = "show"
ARTICLE = "@article"  # what a description of the article itself stands for
# After these a word in -ed is a participle ("adapted from", "based on"), not a verb of a
# clause ("the show debuted in the top ten").
_PASSIVE = frozenset({"from", "by", "on", "off"})


@dataclass(frozen=True)
class Described:
    """A span of a question's words that describes one show (or the article)."""

    start: int
    end: int
    show: str


class Descriptions:
    """Finds the shows a question describes and answers it with their names instead."""

    def __init__(self, engine: Engine, plain: Callable[[str], Answer]) -> None:
        """Read with `engine`'s vocabulary; `plain` answers a question without this step."""
        self.engine = engine
        self._plain = plain
        self._config = engine.config
        vocabulary = engine.vocabulary
        # "the show that came fifth" describes; "this show …" points at the one talked about.
        self._determiners = vocabulary.determiners - vocabulary.pronouns
        self._nouns = vocabulary.nouns
        self._describing = {w for phrase in vocabulary.descriptors for w in phrase}
        kb = engine.kb
        references = kb.references
        self._qualifiers = {stem(w) for w in references.qualifiers} if references else set()
        self._names = {e.id: e.name for e in kb.entities.values() if e.kind == SHOW_KIND}
        # "the story about …" is the article, whatever follows: the only one there is.
        self._articles = {stem(w) for w in references.articles} if references else set()
        self._names[ARTICLE] = "the article"

    def answer(self, question: str, first: Answer) -> Answer | None:
        """Return the answer to `question` read with the show it describes named, when that
        reading is surer than `first`; None otherwise."""
        words = tokens(question)
        if len(words) > self._config.max_description_words:
            return None
        best: Answer | None = None
        for described in self._descriptions(words):
            name = tokens(self._names[described.show])
            rest = [*words[: described.start], *name, *words[described.end :]]
            if not self._asks_more(rest, len(name), described.start):
                continue
            answer = self._plain(" ".join(rest))
            surest = best or first
            if answer.answered and answer.confidence > surest.confidence:
                best = answer
        if best is None:
            return None
        return best.model_copy(update={"question": question})

    def _descriptions(self, words: list[str]) -> list[Described]:
        """Return the spans of `words` from a noun phrase on that describe one show, each
        end tried longest first (a few per noun phrase): where the description stops is
        seen by which reading of the rest is surest."""
        found: list[Described] = []
        for start in range(len(words)):
            noun_end = self._noun_phrase_end(words, start)
            if noun_end is None or not self._qualified(words, noun_end):
                continue
            longest = min(len(words), noun_end + self._config.max_description_qualifier)
            ends = range(longest, noun_end, -1)[: self._config.max_description_spans]
            article = stem(words[noun_end - 1]) in self._articles
            for end in ends:
                show = ARTICLE if article else self._show_described(words[start:end])
                if show is not None:
                    found.append(Described(start, end, show))
        return found

    def _noun_phrase_end(self, words: list[str], start: int) -> int | None:
        """Return where a noun phrase starting at `start` ("the korean zombie series")
        ends, or None if none starts there."""
        if stem(words[start]) not in self._determiners:
            return None
        index = start + 1
        while index < len(words) and stem(words[index]) in self._describing:
            index += 1
        for size in (2, 1):
            if tuple(stems(" ".join(words[index : index + size]))) in self._nouns:
                return index + size
        return index + 1 if index < len(words) and stem(words[index]) in self._articles else None

    def _qualified(self, words: list[str], at: int) -> bool:
        """Return whether what follows a noun at `at` sets the show apart ("that came
        fifth", "sitting at number five", "adapted from the webtoon"), not a clause
        ("the show entered the top ten")."""
        if at >= len(words):
            return False
        word = words[at]
        after = stem(words[at + 1]) if at + 1 < len(words) else ""
        participle = word.endswith("ing") or (word.endswith(("ed", "en")) and after in _PASSIVE)
        return stem(word) in self._qualifiers or participle

    def _show_described(self, span: list[str]) -> str | None:
        """Return the one show `span` describes: by the place it says ("that came fifth"),
        else read as "which show is <span>"."""
        placed = self.engine.operations.shows_placed(stems(" ".join(span)))
        if placed:
            return placed[0] if len(set(placed)) == 1 else None
        answer = self._plain("which show is " + " ".join(span))
        sure = answer.confidence >= self._config.description_confidence
        if answer.answered and sure and answer.entity in self._names:
            return answer.entity
        return None

    def _asks_more(self, rest: list[str], name_size: int, at: int) -> bool:
        """Return whether the question with the name in place still asks something of it."""
        without_name = [*rest[:at], *rest[at + name_size :]]
        words = stems(" ".join(without_name))
        return self.engine.says_something(self.engine.vocabulary.read(words))
