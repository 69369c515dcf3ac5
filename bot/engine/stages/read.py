"""Stage 2, read: what each word means (concepts, names, typos) and which sentences do
something with several shows' values (compare, add up, list by a property).

A message no sentence of which is such an operation is one part, read whole and by clause
by the vocabulary. Otherwise each sentence (or, when only one of its clauses is an
operation, each clause) is a part: an operation, or a message of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.engine.operations import Operation, OperationQuestion, OperationReader
from bot.engine.stages.normalise import Message, Normalised, Normaliser
from bot.engine.text import stems
from bot.engine.vocabulary import Reading, Vocabulary


@dataclass(frozen=True)
class ReadMessage:
    """A message read by the vocabulary: whole, and each clause when it has more than one."""

    message: Message
    whole: Reading
    clauses: tuple[Reading, ...] = ()  # one for each of message.clauses


@dataclass(frozen=True)
class ReadPart:
    """One part of a question: an operation on shows' values, or a message to match."""

    text: str
    operation: OperationQuestion | None = None
    message: ReadMessage | None = None


@dataclass(frozen=True)
class Read:
    """What stage 2 hands on: the question's parts, in the order it says them."""

    text: str
    parts: tuple[ReadPart, ...]

    @property
    def computes(self) -> bool:
        """Return whether a part is an operation: the answer is computed from values."""
        return any(part.operation for part in self.parts)


class Reader:
    """Reads words with the vocabulary and operations with the operation reader."""

    def __init__(
        self, vocabulary: Vocabulary, operations: OperationReader, normaliser: Normaliser
    ) -> None:
        self.vocabulary = vocabulary
        self.operations = operations
        self.normaliser = normaliser  # a sentence's part is cut again as a message

    def read(self, normalised: Normalised) -> Read:
        """Return the parts of `normalised`: one message, or operations and messages."""
        parts = self._operation_parts(normalised)
        if parts is None:
            whole = ReadPart(normalised.text, message=self.message(normalised.message))
            return Read(normalised.text, (whole,))
        return Read(normalised.text, parts)

    def message(self, said: Message) -> ReadMessage:
        """Return `said` read whole, and by clause when it has two or more."""
        clauses = tuple(self.vocabulary.read(c.words) for c in said.clauses)
        return ReadMessage(said, self.vocabulary.read(said.words), clauses)

    def _operation_parts(self, normalised: Normalised) -> tuple[ReadPart, ...] | None:
        """Return the parts of a question with an operation in a sentence or clause, None if
        it has none (most questions)."""
        texts: list[str] = []
        operations: list[OperationQuestion | None] = []
        for sentence in normalised.sentences:
            whole = self.operations.read(sentence.text)
            if whole and self._asks_each_apart(whole, sentence.clauses):
                whole = None  # "which country is lupin from, and what's elite's genre"
            # "are money heist and lupin from the same country" is read whole; in "which
            # outlet reported it, and did it beat squid game" only a clause compares.
            clauses_of = [] if whole else sentence.clauses
            read: list[OperationQuestion | None] = []
            if len(clauses_of) > 1:  # one clause is the sentence, already read
                excluded = self.vocabulary.read(stems(sentence.text)).excluded
                read = [self.operations.read(clause, excluded) for clause in clauses_of]
            if any(read):
                texts += clauses_of
                operations += read
            else:
                texts.append(sentence.text)
                operations.append(whole)
        if not any(operations):
            return None
        return tuple(
            ReadPart(text, operation)
            if operation is not None
            else ReadPart(text, message=self.message(self.normaliser.message(text)))
            for text, operation in zip(texts, operations, strict=True)
        )

    def _asks_each_apart(self, whole: OperationQuestion, parts: Sequence[str]) -> bool:
        """Return whether `whole`, read as one operation on several shows, is clauses each
        asking one show its own attribute: two questions, not one across shows."""
        if whole.operation is not Operation.VALUES or len(parts) < 2:
            return False
        asked = [self.operations.attribute_said(part) for part in parts]
        named = [tuple(self.vocabulary.read(stems(part)).entities) for part in parts]
        own_show = all(len(shows) == 1 for shows in named) and len(set(named)) == len(parts)
        return own_show and None not in asked and len(set(asked)) == len(asked)


def describe(read: Read) -> list[str]:
    """Return what `explain` prints of stage 2."""
    lines = ["read:"]
    for number, part in enumerate(read.parts, 1):
        if part.operation is not None:
            op = part.operation
            lines.append(
                f"  part {number} {part.text[:80]!r}: operation {op.operation.value} "
                f"attribute={op.attribute} shows={list(op.shows)} "
                f"properties={[sorted(p.words) for p in op.properties]}"
            )
        elif part.message is not None:
            lines.append(f"  part {number} {part.text[:80]!r}: {_reading(part.message.whole)}")
            for index, reading in enumerate(part.message.clauses, 1):
                lines.append(f"    clause {index}: {_reading(reading)}")
    return lines


def _reading(reading: Reading) -> str:
    return (
        f"concepts={reading.concepts} entities={reading.entities} "
        f"unknown={reading.unknown} typos={reading.typos}"
        + (f" other titles={reading.others}" if reading.others else "")
    )
