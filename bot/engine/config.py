"""Every tuning value of the engine, in one frozen value passed to each stage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EngineConfig:
    """Every tuning value of the decision, in one place."""

    # Without a fitted model: below this fit the engine declines.
    answer_threshold: float = 0.62
    # The question must also say at least this much of what the phrasing it fits says.
    min_recall: float = 0.4
    # A decline names what is missing ("doesn't say who directed Squid Game") above this fit.
    named_decline_fit: float = 0.45
    # Two intents this close fit a question equally: neither is answered.
    tie: float = 0.005
    # A speaker's other quote fitting within this of the best one is said beside it.
    quote_companion_margin: float = 0.15
    max_suggestions: int = 3
    # A message of parts this short ("director and premiere?") asks in each.
    terse_part: int = 3
    # How sure an answer computed from the shows' values is: read by rule, not by fit.
    computed_confidence: int = 90
    # The scope feature's log-odds (does a message ask what the article answers?) are
    # bounded so: one feature of the decision, not a verdict of its own.
    scope_bound: float = 20.0
    # How much the intent model (what fans asking each intent said) moves a fit: this much
    # per unit of log-odds behind the likeliest intent, at most `intent_odds_cap` units
    # (measured at 10, 20 and 30: docs/accuracy.md, "The intent model").
    intent_odds_weight: float = 0.01
    intent_odds_cap: float = 20.0
    # Whether the fit is judged (beyond the recall floor): off only to collect what the
    # engine would answer, for fitting the model (scripts/calibrate.py).
    decide: bool = True

    # --- matching a reading to an intent's phrasings (matcher.py) ---
    unknown_word_weight: float = 1.2
    # A verb or adverb ("who's the director that cooked with aouad") seldom names what is
    # asked about, as a noun does ("who directed kingdom"); unless it is a typo's reading.
    unknown_action_weight: float = 0.8
    # Numbers and two-letter scraps ("ep 12", "og") rarely name another show or person.
    unknown_scrap_weight: float = 0.5
    unknown_name_weight: float = 1.5
    entity_weight: float = 1.0
    # Precision counts more than recall: a terse question may say little, but what it says
    # must be explained ("who directed kingdom?" is not explained by "who directed it").
    beta_squared: float = 0.25
    # How much a question word counts when only the answer's text, not a phrasing, says it.
    text_match_credit: float = 0.3
    # How much a question concept counts when another phrasing of the same intent says it:
    # fans mix the words of several phrasings ("what comic did the series draw its story from").
    sibling_phrasing_credit: float = 0.5
    sibling_spread: float = 0.5
    # A question pointing at nothing ("when did kingdom premiere") likely names its subject in
    # the word the engine does not know: unknown words count this much more.
    unanchored_factor: float = 1.5
    # A question asking "when" fitting an intent only ever asked "who" keeps this much of its fit.
    wrong_kind_of_answer: float = 0.8
    # A phrasing naming a person, read with their role instead, fits a little less than one
    # written with the role: "what did the director say about the kids" wins that tie.
    by_role_fit: float = 0.97

    # --- reading words (vocabulary.py) ---
    # Typo tolerance by word length: short words must be exact ("cast" is not "case").
    fuzzy_word_cutoff_4: float = 85.0
    fuzzy_word_cutoff: float = 80.0
    fuzzy_alias_cutoff: float = 85.0
    fuzzy_single_alias_cutoff: float = 88.0
    fuzzy_strange_word_cutoff: float = 80.0
    ambient_weight: float = 0.5
    # An ordinal numbering a counted thing ("the first 28 days") says little of what is asked.
    numbering_weight: float = 0.3
    min_fuzzy_name: int = 4  # "elit" may be Elite; "lee" must be spelt right
    max_fuzzy_words: int = 6  # unknown words looked up as possible misspelt names, per question
    min_kind_weight: float = 0.5  # "what title" says little about the kind of answer
    # An English word the lexicon lacks may be read as the concept whose one-word entry is
    # nearest in the shipped word vectors (word_vectors.py): at `similar_word_cosine` or more,
    # when no other concept is within `similar_margin`, counting `similar_word_weight` of the
    # concept. Off: measured on the labelled sets it bought 13 right answers for one wrong
    # in-sample, but the refitted decision lost 33 right answers out of fold at the same
    # wrong rate (docs/accuracy.md, "Word vectors").
    word_vectors: bool = False
    similar_word_cosine: float = 0.7
    similar_margin: float = 0.03
    similar_word_weight: float = 0.7
    # Whether a word may be read as filler ("buddy": "friend"); fillers are many and of
    # every kind, so only a word at least this near one is.
    similar_filler: bool = True
    similar_filler_cosine: float = 0.75
    # Whether a strict concept (an ordinal; `outside`, topics the article lacks) may be
    # reached: off, "film" went to "filmmaker" (direct) and "where did they film it" was
    # answered with the director; on, it is as near "filming" (outside), so read as neither.
    similar_strict: bool = True

    # --- shows described instead of named (descriptions.py) ---
    # An answer at least this sure is not read again with a described show named.
    description_gate: int = 90
    # "which show is <description>" names a show only when answered at least this surely.
    description_confidence: int = 70
    # Ends of a description tried per noun phrase, longest first; and no description is
    # looked for in a longer question (chat), which bounds the cost.
    max_description_spans: int = 5
    max_description_qualifier: int = 7  # words after the noun: "that came fifth on the list"
    max_description_words: int = 24

    # --- questions across shows' values (operations.py) ---
    # Past this many unknown words a question asks something the attributes do not hold.
    max_operation_unknown: int = 1
    # "how many" asks the size of a comparison said at most this many words after it.
    clause_reach: int = 6
    # A question across shows' values is short: a longer sentence (chat) is not read as one,
    # which bounds what a rambling message costs.
    max_operation_words: int = 30
    # A place word this close before "list" names the list ("the top non-english list").
    list_name_reach: int = 3
