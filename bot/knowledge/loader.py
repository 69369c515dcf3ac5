"""Read `knowledge/*.yaml`, validate it against the schema and the article, build a KnowledgeBase.

Errors name the file, the line and the field (`facts[3].evidence`), so a fan who adds a
fact can fix it without reading code. A fact whose evidence is not in the article does
not load.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.knowledge.base import KnowledgeBase
from bot.knowledge.schema import (
    ClauseWords,
    Concept,
    Decision,
    Entity,
    Fact,
    Intent,
    OperationWords,
    QuizEntry,
    Quote,
    Ranking,
    References,
    SourceDocument,
)

# libyaml's safe loader where PyYAML was built with it: the same documents, several times
# faster to start up with (the fitted decision is large).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "knowledge"
# The intent answered by all of one speaker's quotes together ("what did the director say").
QUOTE_ANY_INTENT = "quote_any"
LIST_SECTIONS: dict[str, type[BaseModel]] = {
    "entities": Entity,
    "intents": Intent,
    "facts": Fact,
    "quotes": Quote,
    "quiz": QuizEntry,
}
SINGLE_SECTIONS: dict[str, type[BaseModel]] = {
    "source": SourceDocument,
    "ranking": Ranking,
    "references": References,
    "clauses": ClauseWords,
    "operations": OperationWords,
    "decision": Decision,
}
REQUIRED_SECTIONS = ("source", "ranking")
WORD_LIST_SECTIONS = ("dictionary", "rare_words", "action_words", "other_titles")
OTHER_SECTIONS = ("concepts", "fillers", "word_forms", *WORD_LIST_SECTIONS)
_QUOTE_MARKS = str.maketrans({c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″"})
ModelT = TypeVar("ModelT", bound=BaseModel)


class KnowledgeError(Exception):
    """A knowledge file is broken: says which file, line and field, and what is wrong."""

    def __init__(self, file: str, line: int | None, field: str, message: str) -> None:
        self.file, self.line, self.field, self.message = file, line, field, message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


def normalise_evidence(text: str) -> str:
    """Return `text` with quote-mark style and whitespace made uniform, for comparing."""
    return re.sub(r"\s+", " ", text.translate(_QUOTE_MARKS)).strip()


@dataclass
class _Document:
    """One parsed YAML file with the line of every path in it, for error messages."""

    name: str
    data: dict[str, Any]
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)

    def line_of(self, path: tuple[str | int, ...]) -> int | None:
        """Return the line of `path`, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None

    def error(self, path: tuple[str | int, ...], message: str) -> KnowledgeError:
        """Build the KnowledgeError for the field at `path`."""
        return KnowledgeError(self.name, self.line_of(path), _dotted(path), message)


def _dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _record_lines(
    node: yaml.Node, path: tuple[str | int, ...], lines: dict[tuple[str | int, ...], int]
) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, str(key.value))
            lines[child] = key.start_mark.line + 1
            _record_lines(value, child, lines)
            lines[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines)


def _compose_and_construct(text: str) -> tuple[yaml.Node | None, object]:
    """Return the node tree of YAML `text` (its marks give each field's line) and the data
    built from that same tree: the text is parsed once, as `yaml.safe_load` would."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def parse_file(path: Path, display_name: str | None = None) -> _Document:
    """Parse one YAML file safely, keeping the line of every field."""
    name = display_name or path.name
    try:
        node, data = _compose_and_construct(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise KnowledgeError(name, line, "", f"not valid YAML: {exc.problem}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(name, None, "", f"cannot read: {exc}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise KnowledgeError(name, 1, "", "expected a mapping of sections at the top")
    document = _Document(name, data)
    if node is not None:
        _record_lines(node, (), document.lines)
    return document


def _validate(
    model: type[ModelT], raw: object, doc: _Document, path: tuple[str | int, ...]
) -> ModelT:
    try:
        validated = model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = (*path, *first["loc"])
        raise doc.error(where, first["msg"].lower()) from exc
    _check_lists(doc, path, validated.model_dump())
    return validated


def _check_lists(doc: _Document, path: tuple[str | int, ...], value: object) -> None:
    """Check every list of words in `value` (a validated item, dumped) for repeats."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _check_lists(doc, (*path, key), inner)
    elif isinstance(value, list):
        if all(isinstance(item, str) for item in value):
            _check_unique(doc, path, value)
        else:
            for index, item in enumerate(value):
                _check_lists(doc, (*path, index), item)


@dataclass
class _Collected:
    """Sections gathered across files, each item with the document and path it came from."""

    items: dict[str, list[tuple[BaseModel, _Document, tuple[str | int, ...]]]] = field(
        default_factory=lambda: {name: [] for name in LIST_SECTIONS}
    )
    singles: dict[str, tuple[BaseModel, _Document]] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)
    fillers: list[str] = field(default_factory=list)
    word_forms: list[list[str]] = field(default_factory=list)
    dictionary: tuple[str, _Document] | None = None
    rare_words: tuple[str, _Document] | None = None
    action_words: tuple[str, _Document] | None = None
    other_titles: tuple[str, _Document] | None = None


def _collect(doc: _Document, into: _Collected) -> None:
    for section, raw in doc.data.items():
        if section in LIST_SECTIONS:
            if not isinstance(raw, list):
                raise doc.error((section,), "expected a list")
            model = LIST_SECTIONS[section]
            for index, item in enumerate(raw):
                path = (section, index)
                into.items[section].append((_validate(model, item, doc, path), doc, path))
        elif section in SINGLE_SECTIONS:
            if section in into.singles:
                raise doc.error(
                    (section,), f"'{section}' is already given in {into.singles[section][1].name}"
                )
            into.singles[section] = (_validate(SINGLE_SECTIONS[section], raw, doc, (section,)), doc)
        elif section == "concepts":
            _collect_concepts(doc, raw, into)
        elif section == "fillers":
            if not isinstance(raw, list):
                raise doc.error((section,), "expected a list of words")
            for index, word in enumerate(raw):
                if not isinstance(word, str):
                    # YAML reads yes/no/true/on as booleans: they must be quoted.
                    raise doc.error((section, index), f"expected a word, got {word!r} (quote it)")
            _check_unique(doc, (section,), raw)
            into.fillers.extend(raw)
        elif section == "word_forms":
            _collect_word_forms(doc, raw, into)
        elif section in WORD_LIST_SECTIONS:
            if not isinstance(raw, str):
                raise doc.error((section,), "expected the name of a word-list file")
            setattr(into, section, (raw, doc))
        else:
            known = ", ".join([*LIST_SECTIONS, *SINGLE_SECTIONS, *OTHER_SECTIONS])
            raise doc.error((section,), f"unknown section (expected one of: {known})")


def _collect_word_forms(doc: _Document, raw: object, into: _Collected) -> None:
    """Collect groups of words that name one thing ("france", "french")."""
    if not isinstance(raw, list):
        raise doc.error(("word_forms",), "expected a list of word groups")
    for index, group in enumerate(raw):
        if not isinstance(group, list) or len(group) < 2:
            raise doc.error(("word_forms", index), "expected a list of two or more words")
        if not all(isinstance(word, str) for word in group):
            raise doc.error(("word_forms", index), "expected words (quote yes/no/true)")
        _check_unique(doc, ("word_forms", index), group)
        into.word_forms.append(group)


def _collect_concepts(doc: _Document, raw: object, into: _Collected) -> None:
    if not isinstance(raw, dict):
        raise doc.error(("concepts",), "expected a mapping of concept name to words")
    for name, value in raw.items():
        path = ("concepts", str(name))
        if name in into.concepts:
            raise doc.error(path, f"duplicate concept '{name}'")
        into.concepts[str(name)] = _validate(Concept, value, doc, path)
    for name in raw:
        path = ("concepts", str(name))
        concept = into.concepts[str(name)]
        for i, other in enumerate(concept.prefixes):
            _need(into.concepts, other, doc, (*path, "prefixes", i), "concept")
        _need(into.concepts, concept.spans, doc, (*path, "spans"), "concept")


def _unique(collected: _Collected, section: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for item, doc, path in collected.items[section]:
        item_id = getattr(item, "id")  # noqa: B009 - every list section's model has an id
        if item_id in seen:
            raise doc.error((*path, "id"), f"duplicate id '{item_id}' in {section}")
        seen[item_id] = item
    return seen


def _located(
    collected: _Collected, section: str
) -> Iterator[tuple[Any, _Document, tuple[str | int, ...]]]:
    yield from collected.items[section]


def _need(
    ids: Mapping[str, Any],
    value: str | None,
    doc: _Document,
    path: tuple[str | int, ...],
    kind: str,
) -> None:
    """Fail at `path` of `doc` unless `value` (if any) is one of `ids`, of `kind`."""
    if value is not None and value not in ids:
        raise doc.error(path, f"unknown {kind} '{value}'")


def _check_references(
    collected: _Collected, entities: dict[str, Entity], intents: dict[str, Intent]
) -> None:
    for fact, doc, path in _located(collected, "facts"):
        _need(entities, fact.about, doc, (*path, "about"), "entity")
        _need(intents, fact.answers, doc, (*path, "answers"), "intent")
        for i, intent in enumerate(fact.also_answers):
            _need(intents, intent, doc, (*path, "also_answers", i), "intent")
        for i, mention in enumerate(fact.mentions):
            _need(entities, mention, doc, (*path, "mentions", i), "entity")
    for entity, doc, path in _located(collected, "entities"):
        _need(collected.concepts, entity.role, doc, (*path, "role"), "concept")
    for intent, doc, path in _located(collected, "intents"):
        for i, concept in enumerate(intent.when_answer_named):
            _need(collected.concepts, concept, doc, (*path, "when_answer_named", i), "concept")
        for i, concept in enumerate(intent.needs):
            _need(collected.concepts, concept, doc, (*path, "needs", i), "concept")
    for quote, doc, path in _located(collected, "quotes"):
        _need(entities, quote.speaker, doc, (*path, "speaker"), "entity")
        _need(entities, quote.said_in, doc, (*path, "said_in"), "entity")
        _need(entities, quote.about, doc, (*path, "about"), "entity")
        _need(intents, quote.answers, doc, (*path, "answers"), "intent")


def _check_evidence(collected: _Collected, article: str) -> None:
    haystack = normalise_evidence(article)

    def check(sentence: str, doc: _Document, path: tuple[str | int, ...]) -> None:
        # A quote may end in "." where the article's sentence goes on with ',"'.
        if normalise_evidence(sentence).rstrip(".,") not in haystack:
            raise doc.error(path, f"not found in the article: {sentence[:80]!r}")

    for section in ("facts", "quotes"):
        for item, doc, path in _located(collected, section):
            for i, sentence in enumerate(item.evidence):
                check(sentence, doc, (*path, "evidence", i))
    for quote, doc, path in _located(collected, "quotes"):
        check(quote.text, doc, (*path, "text"))
    ranking, doc = collected.singles["ranking"]
    assert isinstance(ranking, Ranking)
    for i, sentence in enumerate(ranking.rule_evidence):
        check(sentence, doc, ("ranking", "rule_evidence", i))
    for index, entry in enumerate(ranking.entries):
        for i, sentence in enumerate(entry.evidence):
            check(sentence, doc, ("ranking", "entries", index, "evidence", i))


def _check_declines(collected: _Collected) -> None:
    """Check that each phrasing an intent declines is one of its phrasings."""
    for intent, doc, path in _located(collected, "intents"):
        for index, text in enumerate(intent.declines):
            if text not in intent.phrasings:
                raise doc.error((*path, "declines", index), f"{text!r} is not a phrasing of it")


def _check_unique(doc: _Document, path: tuple[str | int, ...], items: list[Any]) -> None:
    """Check that no entry of the list at `path` repeats an earlier one."""
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        key = str(item).casefold()
        if key in seen:
            raise doc.error((*path, index), f"duplicate entry {item!r} (already at [{seen[key]}])")
        seen[key] = index


def _check_left_open(collected: _Collected, facts: dict[str, Fact]) -> None:
    """Check that facts answer every intent, except those the article leaves open."""
    answered = {i for f in facts.values() for i in (f.answers, *f.also_answers)}
    for intent, doc, path in _located(collected, "intents"):
        if intent.left_open and intent.id in answered:
            raise doc.error(
                (*path, "left_open"), f"a fact answers '{intent.id}': it is not left open"
            )
        if not intent.left_open and intent.id not in answered:
            raise doc.error(
                (*path, "id"),
                f"no fact answers '{intent.id}': add one, or set left_open: true if the "
                "article leaves it open",
            )


def quote_facts(
    quotes: dict[str, Quote], entities: dict[str, Entity], intents: dict[str, Intent]
) -> list[Fact]:
    """Turn each quote into the fact that answers its intent, plus one fact per speaker with all."""
    facts: list[Fact] = []
    by_speaker: dict[str, list[Quote]] = {}
    for quote in quotes.values():
        by_speaker.setdefault(quote.speaker, []).append(quote)
        facts.append(_quote_fact(f"quote_{quote.id}", [quote], quote.answers, entities))
    if QUOTE_ANY_INTENT in intents:
        for speaker, said in by_speaker.items():
            facts.append(_quote_fact(f"quotes_of_{speaker}", said, QUOTE_ANY_INTENT, entities))
    return facts


def _quote_fact(
    fact_id: str, quotes: list[Quote], intent: str, entities: dict[str, Entity]
) -> Fact:
    speaker = entities[quotes[0].speaker].name
    parts = []
    for quote in quotes:
        where = f" to {entities[quote.said_in].name}" if quote.said_in else ""
        parts.append(f'On {quote.topic}, {speaker} said{where}: "{" ".join(quote.text.split())}"')
    mentions = sorted({m for q in quotes for m in (q.said_in, q.about) if m})
    return Fact(
        id=fact_id,
        about=quotes[0].speaker,
        answers=intent,
        answer="\n".join(parts),
        evidence=[e for q in quotes for e in q.evidence],
        mentions=mentions,
    )


def load_knowledge(folder: Path | None = None) -> KnowledgeBase:
    """Load and validate every YAML file in `folder` (default: the project's knowledge/)."""
    folder = folder or DEFAULT_FOLDER
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise KnowledgeError(str(folder), None, "", "no .yaml knowledge files here")
    collected = _Collected()
    for path in files:
        _collect(parse_file(path), collected)
    for required in REQUIRED_SECTIONS:
        if required not in collected.singles:
            raise KnowledgeError(
                str(folder), None, required, f"no file gives the '{required}' section"
            )
    source = collected.singles["source"][0]
    assert isinstance(source, SourceDocument)
    article = _read_article(folder, source, collected.singles["source"][1])
    entities: dict[str, Entity] = _unique(collected, "entities")
    intents: dict[str, Intent] = _unique(collected, "intents")
    facts: dict[str, Fact] = _unique(collected, "facts")
    quotes: dict[str, Quote] = _unique(collected, "quotes")
    _check_references(collected, entities, intents)
    if source.subject not in entities:
        raise collected.singles["source"][1].error(
            ("source", "subject"), f"unknown entity '{source.subject}'"
        )
    _check_ranking(collected, entities)
    _check_evidence(collected, article)
    for fact in quote_facts(quotes, entities, intents):
        facts.setdefault(fact.id, fact)
    _check_left_open(collected, facts)
    _check_declines(collected)
    quiz_items = _check_quiz(collected, facts)
    ranking = collected.singles["ranking"][0]
    assert isinstance(ranking, Ranking)
    return KnowledgeBase(
        source=source,
        article=article,
        entities=entities,
        intents=intents,
        facts=facts,
        quotes=quotes,
        ranking=ranking,
        concepts=collected.concepts,
        fillers=collected.fillers,
        word_forms=collected.word_forms,
        references=_single(collected, "references", References),
        clauses=_single(collected, "clauses", ClauseWords),
        operations=_single(collected, "operations", OperationWords),
        decision=_single(collected, "decision", Decision),
        quiz_items=quiz_items,
        dictionary=_read_word_list(folder, "dictionary", collected.dictionary),
        rare_words=_read_word_list(folder, "rare_words", collected.rare_words),
        action_words=_read_word_list(folder, "action_words", collected.action_words),
        other_titles=_read_lines(folder, "other_titles", collected.other_titles),
    )


def _check_ranking(collected: _Collected, entities: dict[str, Entity]) -> None:
    ranking, doc = collected.singles["ranking"]
    assert isinstance(ranking, Ranking)
    for index, entry in enumerate(ranking.entries):
        path = ("ranking", "entries", index)
        if entry.show not in entities:
            raise doc.error((*path, "show"), f"unknown entity '{entry.show}'")
        # A value compared across shows must be one the entry's own evidence says.
        said: list[tuple[tuple[str | int, ...], str]] = []
        said += [(("hours",), entry.hours)] if entry.hours else []
        said += [(("country", "said"), entry.country.said)] if entry.country else []
        said += [(("genres", i), genre.said) for i, genre in enumerate(entry.genres)]
        for where, words in said:
            if not entry.says(words):
                raise doc.error((*path, *where), f"{words!r} is not said in the entry's evidence")


def _read_article(folder: Path, source: SourceDocument, doc: _Document) -> str:
    path = folder / source.file
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise doc.error(
            ("source", "file"), f"cannot read the article {path}: {exc.strerror}"
        ) from exc


def _single(collected: _Collected, section: str, model: type[ModelT]) -> ModelT | None:
    found = collected.singles.get(section)
    if found is None:
        return None
    assert isinstance(found[0], model)
    return found[0]


def quiz_words(text: str) -> str:
    """Return `text` as lowercase words and numbers joined by single spaces, for comparing."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # "361,000,000" is one number
    # Digits split from letters, so the article's "1.65billion" reads as "1.65 billion".
    return " ".join(re.findall(r"\d+(?:\.\d+)?|[^\W\d_]+", text))


def states_answer(text: str, answer: str) -> bool:
    """Return whether `text` states `answer` as whole words ("5" is not in "361")."""
    needle = quiz_words(answer)
    return bool(needle) and f" {needle} " in f" {quiz_words(text)} "


def _check_quiz(collected: _Collected, facts: dict[str, Fact]) -> list[QuizEntry]:
    """Return every quiz item, checked: its fact exists and states one of its answers."""
    located: list[tuple[QuizEntry, _Document, tuple[str | int, ...]]] = []
    for fact, doc, path in _located(collected, "facts"):
        if fact.quiz is not None:
            entry = QuizEntry(fact=fact.id, **fact.quiz.model_dump())
            located.append((entry, doc, (*path, "quiz")))
    located.extend(_located(collected, "quiz"))
    for entry, doc, path in located:
        fact = facts.get(entry.fact)
        if fact is None:
            raise doc.error((*path, "fact"), f"unknown fact '{entry.fact}'")
        texts, forms = (fact.answer, *fact.evidence), (entry.answer, *entry.accept)
        if not any(states_answer(text, form) for form in forms for text in texts):
            raise doc.error(
                (*path, "answer"),
                f"neither the answer nor an accepted form is in fact '{fact.id}' "
                "(its answer or evidence)",
            )
    return [entry for entry, _, _ in located]


def _read_word_list(
    folder: Path, section: str, named: tuple[str, _Document] | None
) -> frozenset[str]:
    """Read the word list `section` names, lowercased: one word a line, # comments."""
    return frozenset(line.lower() for line in _read_lines(folder, section, named))


def _read_lines(folder: Path, section: str, named: tuple[str, _Document] | None) -> frozenset[str]:
    """Read the list file `section` names, as written: one entry a line, # comments."""
    if named is None:
        return frozenset()
    name, doc = named
    try:
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise doc.error((section,), f"cannot read {name}: {exc.strerror}") from exc
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))
