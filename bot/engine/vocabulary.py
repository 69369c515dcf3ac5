"""What each word of a question means to the engine: a concept, an entity, filler, or unknown.

Built once from the knowledge (entity aliases, the lexicon's concepts and fillers, and every
word used in an intent's phrasings). Exact look-ups come first; rapidfuzz tolerates typos
only where no exact reading exists.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import TypeVar

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.engine.config import EngineConfig
from bot.engine.numbers import cardinal, find_numbers
from bot.engine.text import is_question_word, lemmas, stem, stems, tokens
from bot.engine.word_vectors import ConceptNeighbours, shipped_vectors
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.schema import References

FILLER = ""  # the concept of words that carry no meaning here
MAX_PHRASE = 6
NEAR_CACHE_SIZE = 4096
CORRECTIONS_KEPT = 4096  # typo corrections remembered, at most
SHORT_WORD = 3  # typos of words this short are read only when certain
MIN_SOUNDED_WORD = 4  # shorter words have too few consonants to tell apart
VOWELS = frozenset("aeiouy")
OTHER_TITLE = "!title"  # how a word of another show's title is claimed
K = TypeVar("K", bound=Hashable)
# A lexicon without references: nothing describes or points at the show.
_NO_REFERENCES = References.model_construct(
    determiners=[], descriptors=[], nouns=[], pronouns=[], exclusions=[]
)
# "unrelated but …": an aside of at most this many words ends in this word.
_ASIDE_END = "but"
_MAX_ASIDE = 3
# Words joining ordinals in a row ("the third, fourth and fifth seasons").
_JOINING = frozenset({"and", "or", "&"})
# What may follow the shared start of two forms of one word, after the stemmer's cut.
_ENDINGS = frozenset(
    ("", "e", "s", "es", "d", "ed", "ing", "er", "ers", "ion", "ions", "ly", "y", "ie", "ied")
) | frozenset(("ate", "ated", "ating", "ation", "ment", "ments", "al", "ally"))


@dataclass(frozen=True)
class Reading:
    """What the engine made of one question: concepts, entities, and words it did not know."""

    concepts: dict[str, float]
    entities: list[str]
    unknown: list[str]
    typos: dict[str, str] = field(default_factory=dict)
    # The words that carried each concept, to look them up in an answer's own text.
    said: dict[str, set[str]] = field(default_factory=dict)
    # Whether the question points at what it asks about ("it", "the show", a name).
    anchored: bool = True
    # The concept right after "what"/"which": the kind of answer wanted ("which outlet").
    kind: str | None = None
    # Whether it says "it", "that", "they": a part of a message pointing at an earlier one.
    pointing: bool = False
    # Whether it says "it" before any name ("how does it compare to squid game"): then "it"
    # is not that name.
    points_before_naming: bool = False
    # Names the question leaves out of the answer ("besides money heist").
    excluded: list[str] = field(default_factory=list)
    # Unknown words said before anything points at the show: "where does hellbound rank on
    # that list" asks about Hellbound, whatever "that" points at later.
    unknown_first: list[str] = field(default_factory=list)
    # Other shows' titles the question names ("who directed kingdom"): the article has
    # nothing on them.
    others: list[str] = field(default_factory=list)
    # The words as read (typos corrected) and what claimed each: a concept, "@entity", ""
    # for filler, None for unknown. Operations across shows read where things were said.
    words: tuple[str, ...] = ()
    claims: tuple[str | None, ...] = ()
    # Ordinals that number a counted thing ("the first 28 days"), not a place on the list.
    numbering: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        """Return whether the question said nothing the engine could read."""
        return not self.concepts and not self.entities and not self.unknown


class Vocabulary:
    """Maps word sequences to concepts and entities, exactly and then fuzzily."""

    def __init__(self, kb: KnowledgeBase, extra_words: list[str], config: EngineConfig) -> None:
        """Index the concepts, fillers and aliases of `kb`, plus phrasing words `extra_words`,
        with the tolerances of `config`."""
        self.config = config
        self.weights: dict[str, float] = {}
        self.phrases: dict[tuple[str, ...], str] = {}
        self.aliases: dict[tuple[str, ...], str] = {}
        self.ambient = {e.id for e in kb.entities.values() if e.ambient}
        self.collisions: list[str] = []
        self._index_lexicon(kb)
        self._index_references(kb.references or _NO_REFERENCES)
        # Words setting one value against another: "that" before one ("is that vs squid
        # game", "that compared to elite") is the thing talked about, not a determiner.
        operations = kb.operations
        cues = [*operations.compare, *operations.more, *operations.less] if operations else []
        self._comparing = {stem(w) for w in cues if " " not in w}
        written = self._index_aliases(kb)
        alias_words = {w for key in self.aliases for w in key}
        self._index_phrasing_words(extra_words, alias_words)
        self._index_ambient()
        self._index_misspelt_names(written)
        # Near names and typo corrections are searched in thousands of words: remembered
        # per word (chat repeats itself), the least recently used forgotten past a bound.
        self._names_near = lru_cache(maxsize=NEAR_CACHE_SIZE)(self._names_near_uncached)
        self._correction = lru_cache(maxsize=CORRECTIONS_KEPT)(self._corrected)
        self._read_cache: dict[tuple[str, ...], Reading] = {}
        self.real_words = kb.dictionary | {stem(w) for w in kb.dictionary}
        english = kb.dictionary | kb.rare_words
        self.english_words = english | {stem(w) for w in english}
        phrase_words = {w for k in self.phrases for w in k}
        self._known = phrase_words | alias_words
        surfaces = [w for c in kb.concepts.values() for w in c.words] + list(kb.fillers)
        self._index_typos(phrase_words, [*surfaces, *extra_words])
        self._neighbours = self._concept_neighbours(kb)

    def _index_lexicon(self, kb: KnowledgeBase) -> None:
        """Index the lexicon's concept words and fillers (the first concept listed wins)."""
        self._kind_openers = {n for n, c in kb.concepts.items() if c.kind_follows}
        self._ordinals = {n for n, c in kb.concepts.items() if c.strict}
        self._counted = {n for n, c in kb.concepts.items() if c.counted}
        self._prefixes = {n: set(c.prefixes) for n, c in kb.concepts.items() if c.prefixes}
        self._spans = {n: c.spans for n, c in kb.concepts.items() if c.spans}
        for name, concept in kb.concepts.items():
            self.weights[name] = concept.weight
            for word in concept.words:
                self._add_phrase(word, name)
        for word in kb.fillers:
            self._add_phrase(word, FILLER)

    def _index_references(self, references: References) -> None:
        """Index the words that describe or point at what is asked about ("the zombie show",
        "it", "his")."""
        self._determiners = {stem(w) for w in references.determiners}
        self._descriptors = {stems(w) for w in references.descriptors}
        self._nouns = {stems(w) for w in references.nouns}
        # Words that point at what is asked about: "it", "his", "the show". A phrase's last
        # word is its noun: "netflix show" points, "netflix" alone does not.
        anchors = (stems(phrase) for phrase in [*references.pronouns, *references.nouns])
        self._anchors = {words[-1] for words in anchors if words}
        self._pronouns = {stem(w) for w in references.pronouns}
        self._nouns_alone = {n[0] for n in self._nouns if len(n) == 1}
        # Words that may stand between a determiner and its noun ("the zombie tv show").
        self._describing = {w for p in (*self._descriptors, *self._nouns) for w in p}
        self._exclusions = {stems(w) for w in references.exclusions}
        self._places = {stem(w) for w in references.places}
        self._owners = {stem(w) for w in references.owners}

    def _index_aliases(self, kb: KnowledgeBase) -> list[tuple[str, ...]]:
        """Index every way of naming an entity, and other shows' titles unless one is a name
        the article uses; return the aliases as written (misspellings are of these)."""
        written: list[tuple[str, ...]] = []
        for entity in kb.entities.values():
            name_words = set(stems(entity.name))
            for alias in (entity.name, *entity.aliases):
                written.append(stems(alias))
                for alias_key in self._said_otherwise(stems(alias), name_words):
                    self.aliases.setdefault(alias_key, entity.id)
        self._other_titles = {
            key: title
            for title in kb.other_titles
            if (key := stems(title)) and key not in self.aliases
        }
        return written

    def _index_phrasing_words(self, extra_words: list[str], alias_words: set[str]) -> None:
        """Make a word only a phrasing uses a concept of its own ("~synopsis"), unless it is
        another form of a word the lexicon has ("directed": "direct")."""
        for word in extra_words:
            if stem(word) in alias_words or word.isdigit() or self._lemma_known(stem(word)):
                continue
            self.phrases.setdefault((stem(word),), f"~{stem(word)}")
        self._long_phrases = {k: c for k, c in self.phrases.items() if len(k) > 1}

    def _index_ambient(self) -> None:
        """Index the names said everywhere (Netflix), and the phrases naming them."""
        self._ambient_claims = {f"@{e}" for e in self.ambient}
        ambient_words = {w for key, e in self.aliases.items() if e in self.ambient for w in key}
        # "hit netflix" means released: a phrase naming Netflix is read before the name is.
        self._ambient_phrases = {
            key: concept
            for key, concept in self.phrases.items()
            if len(key) > 1 and concept != FILLER and ambient_words.intersection(key)
        }

    def _index_misspelt_names(self, written: list[tuple[str, ...]]) -> None:
        """Index the aliases as written by word. Misspelt names are looked for among these,
        not every way of saying a description ("that heist one"): those are many, and only
        met exactly."""
        self._aliases_with_word: dict[str, list[tuple[str, ...]]] = {}
        for alias_key in dict.fromkeys(k for k in written if k in self.aliases):
            for word in set(alias_key):
                self._aliases_with_word.setdefault(word, []).append(alias_key)
        self._alias_words = sorted(self._aliases_with_word)

    def _index_typos(self, phrase_words: set[str], surfaces: list[str]) -> None:
        """Index the words a typo may be of. Misspelt names are found by `_fuzzy_aliases`;
        typos of other words here, against both the words as written ("hours": "hous" is
        close) and their stems ("hour")."""
        self._typo_targets = {w: w for w in phrase_words}
        for surface in surfaces:
            for token in tokens(surface):
                self._typo_targets.setdefault(token, stem(token))
        self._fuzzy_words = sorted(w for w in self._typo_targets if len(w) >= 4 and w.isalpha())
        # Spelt by ear ("webtun", "zombis"): same consonants in the same order. A skeleton
        # two different words share is no evidence for either, so it is left out.
        self._by_skeleton = _unambiguous(
            (_skeleton(word), self._typo_targets[word]) for word in self._fuzzy_words
        )
        # Letters swapped ("lsit", "seires"): same first letter, same letters.
        short = (w for w in self._typo_targets if len(w) == SHORT_WORD and w.isalpha())
        self._by_letters = _unambiguous(
            (_letters(word), self._typo_targets[word]) for word in [*self._fuzzy_words, *short]
        )

    # --- word vectors (word_vectors.py): an unknown word read as the nearest concept ---
    def _concept_neighbours(self, kb: KnowledgeBase) -> ConceptNeighbours | None:
        """Place the lexicon's one-word entries among the shipped word vectors, if on."""
        vectors = shipped_vectors() if self.config.word_vectors else None
        if vectors is None:
            return None
        left_out = {
            n for n, c in kb.concepts.items() if c.strict and not self.config.similar_strict
        }
        if not self.config.similar_filler:
            left_out.add(FILLER)
        targets = {
            key[0]: concept
            for key, concept in self.phrases.items()
            if len(key) == 1 and concept not in left_out
        }
        config = self.config
        return ConceptNeighbours(
            vectors, targets, config.similar_word_cosine, config.similar_margin
        )

    def _claim_similar(self, words: tuple[str, ...], claimed: list[str | None]) -> set[int]:
        """Claim each English word still unknown that is near a concept's word ("yardstick":
        stats); return where. A name ("hellbound") is no English word: it stays unknown, as
        do words under four letters (read so, they cost more right answers than they won)."""
        found: set[int] = set()
        if self._neighbours is None:
            return found
        for index, word in enumerate(words):
            if claimed[index] is not None or word not in self.english_words:
                continue
            near = self._neighbours.nearest(word)
            # Fillers are many and of every kind: a word is read as one only when very near.
            if near and (near.concept or near.similarity >= self.config.similar_filler_cosine):
                claimed[index] = near.concept
                found.add(index)
        return found

    def _weigh_similar(
        self, concepts: dict[str, float], claimed: list[str | None], similar: set[int]
    ) -> None:
        """Count a concept only a near word said at `similar_word_weight` of its weight."""
        exact = {claim for index, claim in enumerate(claimed) if index not in similar}
        for concept in {claimed[index] for index in similar} - exact:
            if concept in concepts:
                concepts[concept] *= self.config.similar_word_weight

    # --- end of word vectors ---

    def _lemma_known(self, word: str) -> str | None:
        """Return the stem of the dictionary form of `word` that the lexicon knows as a word
        of its own ("helmed": "helm"), if `word` is not known itself."""
        if (word,) in self.phrases:
            return None
        for lemma in lemmas(word):
            if (stem(lemma),) in self.phrases:
                return stem(lemma)
        return None

    def _said_otherwise(
        self, alias: tuple[str, ...], name_words: set[str]
    ) -> list[tuple[str, ...]]:
        """Return `alias` and, if it calls a show by its name's word ("the heist show"), the
        same with any determiner and noun of a reference ("that heist one")."""
        said = [alias] if alias else []
        if len(alias) < 3 or alias[0] not in self._determiners:
            return said
        determiners = sorted(self._determiners)
        for noun in self._nouns:
            middle = alias[1 : -len(noun)]
            if alias[-len(noun) :] == noun and middle and name_words.issuperset(middle):
                said += [(d, *middle, *n) for d in determiners for n in self._nouns]
            # "the show in first place" is also "the series in first place".
            rest = alias[1 + len(noun) :]
            if alias[1 : 1 + len(noun)] == noun and rest and rest[0] in self._places:
                said += [(d, *n, *rest) for d in determiners for n in self._nouns]
        return list(dict.fromkeys(said))

    def _add_phrase(self, word: str, concept: str) -> None:
        key = stems(word)
        owner = self.phrases.setdefault(key, concept)
        if owner != concept:
            # "rated" and "rating" both stem to "rat": the first concept listed wins.
            self.collisions.append(
                f"lexicon: {word!r} ({concept or 'filler'}) reads as "
                f"{' '.join(key)!r}, already {owner or 'filler'}"
            )

    @property
    def determiners(self) -> frozenset[str]:
        """Return the stemmed words that start a description of a show ("the", "that")."""
        return frozenset(self._determiners)

    @property
    def pronouns(self) -> frozenset[str]:
        """Return the stemmed words that point at what is asked about ("it", "his")."""
        return frozenset(self._pronouns)

    @property
    def descriptors(self) -> frozenset[tuple[str, ...]]:
        """Return the stemmed words that describe the show ("korean", "zombie")."""
        return frozenset(self._descriptors)

    @property
    def nouns(self) -> frozenset[tuple[str, ...]]:
        """Return the stemmed nouns a show is called by ("show", "tv series")."""
        return frozenset(self._nouns)

    @property
    def strict_concepts(self) -> frozenset[str]:
        """Return the concepts a question must say to fit a phrasing saying them (places on
        the list, and the few others marked `strict`: "english", "outside")."""
        return frozenset(self._ordinals)

    def weight(self, concept: str) -> float:
        """Return how much `concept` counts when matching."""
        return self.weights.get(concept, 1.0)

    def read(self, words: tuple[str, ...]) -> Reading:
        """Read stemmed `words` into concepts, entities and unknown words.

        Remembered until `forget`: one message is read several ways (whole, by sentence, by
        clause, as an operation), often the same way twice. A Reading is never changed.
        """
        found = self._read_cache.get(words)
        if found is None:
            found = self._read_cache[words] = self._read(words)
        return found

    def forget(self) -> None:
        """Forget the readings remembered: a new message starts (memory stays bounded)."""
        self._read_cache.clear()

    def _read(self, words: tuple[str, ...]) -> Reading:
        claimed: list[str | None] = [None] * len(words)
        entities: list[str] = []
        self._claim_references(words, claimed)
        self._claim_phrases(words, claimed, self._ambient_phrases)
        others = self._claim_other_titles(words, claimed)
        # Names first, as typed: "money hiest" is Money Heist, not "money highest".
        self._claim_entities(words, claimed, entities)
        # Phrases as typed before any word is read otherwise: "clocked up" is one phrase.
        self._claim_phrases(words, claimed, self._long_phrases)
        words, typos = self._correct_typos(words, claimed)
        if typos:  # "the korean zombie seris" is the show once "seris" is "series"
            self._claim_references(words, claimed)
        self._claim_phrases(words, claimed)
        _drop_aside(words, claimed)
        self._drop_owned(words, claimed)
        self._claim_spans(words, claimed)
        self._claim_prefixes(claimed)
        similar = self._claim_similar(words, claimed)
        numbering = self._numbering(words, claimed)
        concepts, said, unknown = self._concepts(words, claimed)
        self._weigh_similar(concepts, claimed, similar)
        for ordinal in numbering:
            concepts[ordinal] *= self.config.numbering_weight
        excluded = self._excluded(words, claimed)
        first_anchor = next((i for i, w in enumerate(words) if w in self._anchors), len(words))
        unknown_first = [
            w for w, c in zip(words[:first_anchor], claimed, strict=False) if c is None
        ]
        return Reading(
            concepts,
            [e for e in entities if e not in excluded],
            unknown,
            typos,
            said,
            anchored=bool(entities) or not self._anchors.isdisjoint(words),
            kind=self._kind(claimed, concepts),
            pointing=self._points(words, claimed),
            points_before_naming=self._points_before_naming(words, claimed),
            excluded=excluded,
            unknown_first=unknown_first,
            others=others,
            words=words,
            claims=tuple(claimed),
            numbering=numbering,
        )

    def _concepts(
        self, words: tuple[str, ...], claimed: list[str | None]
    ) -> tuple[dict[str, float], dict[str, set[str]], list[str]]:
        """Return the concepts `claimed` (with their weights), the words that said each
        claim, and the words nothing claimed."""
        concepts: dict[str, float] = {}
        said: dict[str, set[str]] = {}
        unknown: list[str] = []
        for word, claim in zip(words, claimed, strict=True):
            if claim:
                said.setdefault(claim, set()).add(word)
            if claim is None:
                unknown.append(word)
            elif claim in self._ambient_claims:
                # Netflix is named everywhere: a hint at platform questions, never a topic.
                concepts[claim] = self.config.ambient_weight
            elif claim != FILLER and not claim.startswith(("@", OTHER_TITLE)):
                concepts[claim] = self.weight(claim)
        return concepts, said, unknown

    def _points_before_naming(self, words: tuple[str, ...], claimed: list[str | None]) -> bool:
        """Return whether `words` say "it" before the first name (not Netflix)."""
        named = (c and c.startswith("@") and c not in self._ambient_claims for c in claimed)
        first_name = next((i for i, is_name in enumerate(named) if is_name), None)
        return first_name is not None and not self._pronouns.isdisjoint(words[:first_name])

    def _claim_prefixes(self, claimed: list[str | None]) -> None:
        """Read the concepts said right before one they name ("the top 10 list") as it."""
        for index in range(len(claimed) - 1, 0, -1):
            prefixes = self._prefixes.get(claimed[index] or "")
            before = index - 1
            while prefixes and before >= 0 and claimed[before] in prefixes:
                claimed[before] = claimed[index]
                before -= 1

    def _drop_owned(self, words: tuple[str, ...], claimed: list[str | None]) -> None:
        """Read as filler the unknown words right after "my" ("for my blog post", "my
        fandom calendar"): the asker's own things, seldom what the article is asked about
        (not so "is it available in my region", which is then read without its region)."""
        for index, word in enumerate(words[:-1]):
            if word not in self._owners:
                continue
            after = index + 1
            while after < len(words) and claimed[after] is None:
                claimed[after] = FILLER
                after += 1

    def _claim_spans(self, words: tuple[str, ...], claimed: list[str | None]) -> None:
        """Read a place word and the count after it as the span they name ("top 3", "top
        twenty": where a show stands), unless a concept of its own reads the count ("top
        ten", the list's own size); "the top one" is the place at the top."""
        for index in range(len(words) - 1):
            spans = self._spans.get(claimed[index] or "")
            after = claimed[index + 1]
            if not spans or not (after is None or after in self._ordinals):
                continue
            count = cardinal(words[index + 1])
            said = " ".join(words[index + 1 : index + 3])
            scaled = any(n.scale > 1 for n in find_numbers(said))  # "topped 600 million"
            if count is not None and count > 1 and not scaled:
                claimed[index] = claimed[index + 1] = spans

    def _points(self, words: tuple[str, ...], claimed: list[str | None]) -> bool:
        """Return whether `words` say "it", "he", "that"…, pointing at what was talked
        about; "that top list", "this ranking" name another thing by a determiner."""
        for index, word in enumerate(words):
            if word not in self._pronouns:
                continue
            after = claimed[index + 1] if index + 1 < len(words) else None
            concept = after is not None and after != FILLER
            concept = concept and not str(after).startswith(("@", "~", OTHER_TITLE))
            comparing = index + 1 < len(words) and words[index + 1] in self._comparing
            if not (word in self._determiners and concept) or comparing:
                return True
        return False

    def _numbering(self, words: tuple[str, ...], claimed: list[str | None]) -> frozenset[str]:
        """Return the ordinals that only number the counted thing after them ("in its first
        28 days", "the third, fourth and fifth seasons") or order the asking ("but first who
        wrote it"): they ask for no place on a list."""
        numbering: set[str] = set()
        for index, claim in enumerate(claimed[:-1]):
            # "but first, who wrote the webtoon": an ordinal before a question word orders
            # what the asker does, and asks no place.
            if claim in self._ordinals and is_question_word(words[index + 1]):
                numbering.add(claim)
        for index, claim in enumerate(claimed):
            if claim not in self._counted:
                continue
            before = index - 1
            while before >= 0 and (
                claimed[before] in self._ordinals
                or (
                    words[before] in _JOINING
                    and before > 0
                    and claimed[before - 1] in self._ordinals
                )
            ):
                if words[before] not in _JOINING:
                    numbering.add(claimed[before] or "")
                before -= 1
        return frozenset(numbering)

    def names_with_a_noun(self, words: tuple[str, ...]) -> bool:
        """Return whether `words` call the show by a noun after "the"/"this" ("this show")."""
        return any(
            word in self._nouns_alone and index > 0 and words[index - 1] in self._determiners
            for index, word in enumerate(words)
        )

    def points_definitely(self, words: tuple[str, ...]) -> bool:
        """Return whether `words` point at one show: a pronoun, or a noun after "the"/"this".

        "is there a show from france" points at none: "a show" is any show.
        """
        for index, word in enumerate(words):
            if word in self._pronouns:
                return True
            if word in self._anchors:
                before = index - 1
                while before >= 0 and words[before] in self._describing:
                    before -= 1
                if before >= 0 and words[before] in self._determiners:
                    return True
        return False

    def _excluded(self, words: tuple[str, ...], claimed: list[str | None]) -> list[str]:
        """Return the names said right after "besides", "apart from", "other than"."""
        excluded: list[str] = []
        for index in range(1, len(claimed)):
            claim = claimed[index]
            if claim is None or not claim.startswith("@") or claimed[index - 1] == claim:
                continue  # not where a name starts
            if claim in self._ambient_claims:
                continue
            if any(words[max(0, index - size) : index] in self._exclusions for size in (1, 2)):
                excluded.append(claim.removeprefix("@"))
        return excluded

    def _kind(self, claimed: list[str | None], concepts: dict[str, float]) -> str | None:
        """Return the concept said right after a "what"-like word, if it means much."""
        for claim, following in pairwise(claimed):
            if claim in self._kind_openers and following in concepts and following != claim:
                return following if concepts[following] >= self.config.min_kind_weight else None
        return None

    def _correct_typos(
        self, words: tuple[str, ...], claimed: list[str | None]
    ) -> tuple[tuple[str, ...], dict[str, str]]:
        """Replace each word nobody uses here by the closest word that is, if one is close.

        A real English word is only taken for another form of a known word ("calculating"
        for "calculated"), never for a different word ("lunch" is not "launch").
        """
        typos: dict[str, str] = {}
        corrected = list(words)
        for index, word in enumerate(words):
            if claimed[index] is not None or not word.isalpha():
                continue
            # An inflection of a word the lexicon lists ("helmed": "helm"), even one that a
            # longer phrase also uses ("watched", as in "hours watched").
            if lemma := self._lemma_known(word):
                corrected[index] = typos[word] = lemma
            elif word in self._known:
                continue
            elif len(word) >= SHORT_WORD and (guess := self._correction(word)):
                # "directd" is "directed", which the lexicon knows as "direct".
                corrected[index] = typos[word] = self._lemma_known(guess) or guess
        return tuple(corrected), typos

    def _corrected(self, word: str) -> str | None:
        """Return the known word `word` misspells, or None when it is not surely a typo.

        Letters swapped ("crule", "tne") are surer than any near spelling ("rule"). Three
        letters are read only that way or as a plural the stemmer cut ("hors" is "hor").
        A word that no near spelling fits may still be spelt by ear ("webtun").
        """
        unreal = word not in self.real_words
        if unreal and (swapped := self._by_letters.get(_letters(word))):
            return swapped
        if unreal and (single := self._undoubled(word) or self._respelt(word)):
            return single
        if len(word) == SHORT_WORD:
            return self._cut_plural(word) if unreal else None
        close = _close(word, self._fuzzy_words, self._word_cutoff(len(word)))
        if not close:
            sounded = unreal and len(word) >= MIN_SOUNDED_WORD
            return self._by_skeleton.get(_skeleton(word)) if sounded else None
        # Typos seldom change the first letter: "ther" is "there" before "other".
        best = max(close, key=lambda match: match[1] + 5 * (match[0][0] == word[0]))[0]
        if unreal or _same_root(word, best):
            return self._typo_targets[best]
        return None

    def _undoubled(self, word: str) -> str | None:
        """Return the one known word `word` is with a letter typed twice ("tenn": "ten")."""
        found = {
            self._typo_targets[single]
            for at in range(1, len(word))
            if word[at] == word[at - 1]
            and (single := word[:at] + word[at + 1 :]) in self._typo_targets
        }
        return found.pop() if len(found) == 1 else None

    def _respelt(self, word: str) -> str | None:
        """Return the one known word `word` is with a vowel mistyped or a plural "z" for
        "s" ("meny": "many", "dayz": "days"); a consonant changes a word, a vowel seldom."""
        if len(word) <= SHORT_WORD:
            return None
        found = {
            self._typo_targets[other]
            for at, letter in enumerate(word)
            if letter in VOWELS and at > 0
            for vowel in "aeiou"
            if (other := word[:at] + vowel + word[at + 1 :]) in self._typo_targets
        }
        if word.endswith("z") and (plural := stem(word[:-1] + "s")) in self._typo_targets:
            found.add(self._typo_targets[plural])
        return found.pop() if len(found) == 1 else None

    def _word_cutoff(self, length: int) -> float:
        """Return how close a typo of a word of `length` letters must be: short words closer."""
        config = self.config
        return config.fuzzy_word_cutoff_4 if length == 4 else config.fuzzy_word_cutoff

    def _cut_plural(self, word: str) -> str | None:
        """Return the one known word that `word` plus "s" is near ("hor": "hours"), if one."""
        close = _close(word + "s", self._fuzzy_words, self._word_cutoff(SHORT_WORD + 1))
        targets = {self._typo_targets[choice] for choice, _, _ in close}
        return targets.pop() if len(targets) == 1 else None

    def content_words(self, words: tuple[str, ...]) -> set[str]:
        """Return the stemmed `words` that are not filler."""
        return {w for w in words if self.phrases.get((w,)) != FILLER}

    def _claim_references(self, words: tuple[str, ...], claimed: list[str | None]) -> None:
        # "the zombie school show" means the subject, as "it" does: claim it as filler.
        for start, word in enumerate(words):
            if word not in self._determiners:
                continue
            end = self._match_run(words, start + 1, self._descriptors)
            if end == start + 1:
                continue
            noun_end = self._match_run(words, end, self._nouns, once=True)
            if noun_end == end:
                # "this netflix kdrama", "the zombie kdrama hit netflix": a describing word
                # after another is the noun.
                nouns = (i for i in range(end - 1, start + 1, -1) if (words[i],) in self._nouns)
                if (last_noun := next(nouns, None)) is None:
                    continue
                noun_end = last_noun + 1
            if not _taken(claimed, start, noun_end - start):
                claimed[start:noun_end] = [FILLER] * (noun_end - start)

    @staticmethod
    def _match_run(
        words: tuple[str, ...], start: int, phrases: set[tuple[str, ...]], once: bool = False
    ) -> int:
        """Return where a run of `phrases` starting at `start` ends (`start` if none)."""
        position = start
        while position < len(words):
            for size in range(min(3, len(words) - position), 0, -1):
                if words[position : position + size] in phrases:
                    position += size
                    break
            else:
                break
            if once:
                break
        return position

    def _claim_other_titles(self, words: tuple[str, ...], claimed: list[str | None]) -> list[str]:
        """Claim other shows' titles said exactly ("sweet home"), longest first; return them."""
        found: list[str] = []
        for size in range(min(MAX_PHRASE, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                title = self._other_titles.get(words[start : start + size])
                if title and not _taken(claimed, start, size):
                    claimed[start : start + size] = [OTHER_TITLE] * size
                    found.append(title)
        return found

    def _claim_entities(
        self, words: tuple[str, ...], claimed: list[str | None], found: list[str]
    ) -> None:
        # Longer names first, exact before fuzzy, so "lee jae kyu" beats the lone alias "lee".
        near = self._fuzzy_aliases(words)
        for size in range(min(MAX_PHRASE, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if _taken(claimed, start, size):
                    continue
                window = words[start : start + size]
                entity = self.aliases.get(window) or self._fuzzy_window(window, near, start)
                if entity:
                    claimed[start : start + size] = [f"@{entity}"] * size
                    if entity not in found and entity not in self.ambient:
                        found.append(entity)

    def _fuzzy_aliases(self, words: tuple[str, ...]) -> dict[int, frozenset[tuple[str, ...]]]:
        """Return, by position, the names that an unknown word there may misspell.

        Work is bounded: only the first few unknown words are looked up, each once.
        """
        near: dict[int, frozenset[tuple[str, ...]]] = {}
        for index, word in enumerate(words):
            if word in self._known or len(word) < 2:
                continue
            if len(near) == self.config.max_fuzzy_words:
                break
            if keys := self._names_near(word):
                near[index] = keys
        return near

    def _names_near_uncached(self, word: str) -> frozenset[tuple[str, ...]]:
        """Return the names with a word close to `word` (`_names_near` remembers them)."""
        close = process.extract(
            word, self._alias_words, scorer=fuzz.ratio, score_cutoff=50.0, limit=4
        )
        return frozenset(key for match in close for key in self._aliases_with_word[match[0]])

    def _fuzzy_window(
        self, window: tuple[str, ...], near: dict[int, frozenset[tuple[str, ...]]], start: int
    ) -> str | None:
        candidates = {
            key
            for index in range(start, start + len(window))
            for key in near.get(index, ())
            if abs(len(key) - len(window)) <= 1
        }
        if not candidates:
            return None
        text = " ".join(window)
        if len(window) == 1 and len(text) < self.config.min_fuzzy_name:
            return None
        cutoff = self.config.fuzzy_alias_cutoff
        if len(window) == 1:
            # A lone word may be an English word near a name ("elite"); one no list knows
            # ("lupan") is more likely the name misspelt.
            english = text in self.english_words
            config = self.config
            cutoff = (
                config.fuzzy_single_alias_cutoff if english else config.fuzzy_strange_word_cutoff
            )
        ranked = sorted(candidates)
        close = _close(text, [" ".join(k) for k in ranked], cutoff)
        if not close:
            return None
        return self.aliases[ranked[max(close, key=lambda match: match[1])[2]]]

    def _claim_phrases(
        self,
        words: tuple[str, ...],
        claimed: list[str | None],
        phrases: dict[tuple[str, ...], str] | None = None,
    ) -> None:
        """Claim the longest known phrases in `words`, left to right (default: all)."""
        phrases = self.phrases if phrases is None else phrases
        start = 0
        while start < len(words):
            for size in range(min(MAX_PHRASE, len(words) - start), 0, -1):
                window = words[start : start + size]
                if window in phrases and not _taken(claimed, start, size):
                    claimed[start : start + size] = [phrases[window]] * size
                    start += size
                    break
            else:
                start += 1


def _drop_aside(words: tuple[str, ...], claimed: list[str | None]) -> None:
    """Read as filler the few unknown words of an aside before "but" that opens a question
    ("unrelated but who directed it", "weird q but …"): they name nothing asked about."""
    if _ASIDE_END not in words[: _MAX_ASIDE + 1]:
        return
    end = words.index(_ASIDE_END)
    if all(claim is None or claim == FILLER for claim in claimed[:end]):
        claimed[:end] = [FILLER] * end


def _unambiguous(pairs: Iterable[tuple[K, str]]) -> dict[K, str]:
    """Return the keys of `pairs` that only one word has, each with that word."""
    by_key: dict[K, set[str]] = {}
    for key, word in pairs:
        by_key.setdefault(key, set()).add(word)
    return {key: next(iter(words)) for key, words in by_key.items() if len(words) == 1}


def _taken(claimed: list[str | None], start: int, size: int) -> bool:
    """Return whether any word in the window is already read (filler counts as read)."""
    return any(claim is not None for claim in claimed[start : start + size])


def _same_root(word: str, other: str) -> bool:
    """Return whether `word` and `other` look like forms of one word (decide, decided).

    What follows the shared start must be an ending ("-ing", "-ed"): "plant" is no form of
    "plan", nor "meant" of "mean".
    """
    pairs = zip(word, other, strict=False)
    shared = next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(word), len(other)))
    if shared < max(4, min(len(word), len(other)) - 3):
        return False
    # The endings may share letters too: "calculat|ing", "calculat|ion".
    return any(
        word[cut:] in _ENDINGS and other[cut:] in _ENDINGS for cut in range(shared, shared - 3, -1)
    )


def _letters(word: str) -> tuple[str, str]:
    """Return `word`'s first letter and all its letters in order: the same for "lsit", "list"."""
    return word[0], "".join(sorted(word))


def _skeleton(word: str) -> str:
    """Return `word`'s first letter and its other consonants, repeats collapsed ("wbtn")."""
    letters = [word[0], *(c for c in word[1:] if c not in VOWELS)]
    return "".join(c for i, c in enumerate(letters) if i == 0 or c != letters[i - 1])


def _close(word: str, choices: list[str], cutoff: float) -> list[tuple[str, float, int]]:
    """Return the `choices` within `cutoff` of `word`, by edits or by swapped letters.

    fuzz.ratio forgives a missing letter ("hous"), Damerau-Levenshtein a swap ("hiest").
    """
    found = process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5)
    swapped = process.extract(
        word,
        choices,
        scorer=DamerauLevenshtein.normalized_similarity,
        score_cutoff=cutoff / 100,
        limit=5,
    )
    return found + [(choice, score * 100, index) for choice, score, index in swapped]
