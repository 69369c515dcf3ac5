"""How the engine reads a question: typos, names, references, and bounded work."""

from __future__ import annotations

import pytest

from bot.engine import Engine, vocabulary
from bot.engine.text import MAX_TOKENS, Clauses, is_framing, is_premise, stem, stems, tokens


def test_tokens_drop_discord_markup_and_fold_case() -> None:
    text = "<@123456789012345678> WHO directed <#42> it?? <:zombie:99> https://x.y/z 🧟"
    assert tokens(text) == ["who", "directed", "it"]


def test_a_word_run_into_a_number_is_two_tokens() -> None:
    assert tokens("top10 source? season2") == ["top", "10", "source", "season", "2"]
    assert tokens("s2 ep12 28th") == ["s2", "ep12", "28th"]


def test_tokens_are_capped() -> None:
    assert len(tokens("word " * 10_000)) == MAX_TOKENS


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("hours", "hour"),
        ("series", "series"),
        ("news", "news"),
        ("watches", "watch"),
        ("stories", "story"),
        ("stated", "stated"),
        ("its", "its"),
        ("bus", "bus"),
    ],
)
def test_stem_only_cuts_plurals(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_clauses_split_compound_questions_but_not_walls_of_text(engine: Engine) -> None:
    def clauses(text: str) -> Clauses:
        return engine.normaliser.clauses(text)

    assert clauses("who directed it and when did it come out?").parts == [
        "who directed it",
        "when did it come out",
    ]
    # Of a long message only the last parts are read: chat first, the question last.
    assert clauses("a, b, c, d, e, f") == ([" e", " f"], True)
    assert not clauses("who directed it and when did it come out?").rambling
    # A part giving examples belongs to the one before it.
    assert clauses("any new zombies, such as smarter ones?").parts == [
        "any new zombies  such as smarter ones"
    ]
    assert clauses("quick q: who directed it").parts == ["quick q", " who directed it"]
    # "between … and …" joins two terms, not two questions; an "and" further on still splits.
    contrast = "what does he contrast between season 1 and season 2"
    assert clauses(contrast).parts == [contrast]
    # The first term may be a long name.
    assert len(clauses("between all of us are dead and elite, which one is korean").parts) == 2
    # A yes/no question after the pair, or a second "and", is a question of its own.
    assert len(clauses("is there a gap between seasons and did lee direct it").parts) == 2
    assert len(clauses("between squid game and elite and is elite spanish").parts) == 2
    assert len(clauses("who is between them now and when did it come out").parts) == 2
    # "also" is an adverb far more often than it joins two questions.
    assert clauses("what's money heist also called").parts == ["what's money heist also called"]
    # Chat, then the question, split by an emoji or by nothing at all.
    assert clauses("i scare easily 😬 what kind of show is it").parts == [
        "i scare easily ",
        " what kind of show is it",
    ]
    assert clauses("we were arguing about it all night who directed it").parts == [
        "we were arguing about it all night ",
        "who directed it",
    ]
    assert clauses("what did the director say about bullying").parts == [
        "what did the director say about bullying"
    ]
    # "sum up what …" reads on into its clause.
    assert len(clauses("how did the director sum up what the first season was about").parts) == 1
    # "who" after a question's noun is relative; "who's" still asks.
    assert clauses("what is the name of the journalist who interviewed him").parts == [
        "what is the name of the journalist who interviewed him"
    ]
    assert len(clauses("how does netflix even decide who's top on that list").parts) == 2
    # A reason given after the question is a part of its own, a premise.
    assert clauses("how many hrs did it pull cuz that number is wild").parts == [
        "how many hrs did it pull",
        "cuz that number is wild",
    ]
    assert is_premise("cuz that number is wild")
    # "according to the director, …" frames the question rather than asking.
    assert is_framing("according to the director") and is_framing("per lee")
    assert not is_framing("perhaps it was lee")


@pytest.mark.parametrize(
    ("question", "entity"),
    [
        ("lee jae kyu", "lee_jae_kyoo"),
        ("squid gaem", "squid_game"),
        ("all of su are dead", "all_of_us_are_dead"),
        ("mony heist", "money_heist"),
        ("elit", "elite"),
        ("lupan", "lupin"),  # no English word: a looser match than for "elite"
        ("all of us is dead", "all_of_us_are_dead"),
        ("지금 우리 학교는", "all_of_us_are_dead"),
        ("AOUAD", "all_of_us_are_dead"),
    ],
)
def test_misspelt_and_foreign_names_are_recognised(
    engine: Engine, question: str, entity: str
) -> None:
    assert engine.vocabulary.read(stems(question)).entities == [entity]


def test_other_names_are_not_taken_for_known_ones(engine: Engine) -> None:
    reading = engine.vocabulary.read(stems("who directed jirisan"))
    assert reading.entities == []
    assert reading.unknown == ["jirisan"]
    # A title from other_titles.txt is known as another show's, not as a name of this one.
    reading = engine.vocabulary.read(stems("who directed hellbound"))
    assert (reading.entities, reading.others) == ([], ["Hellbound"])
    # "Lee" alone is the director's surname, but the rest of this name is unexplained.
    assert not engine.answer("who is lee min ho").answered


def test_typos_are_corrected_but_real_words_are_kept(engine: Engine) -> None:
    # "wrot" is "wrote", an inflection the lexicon reads as its dictionary form "write".
    assert engine.vocabulary.read(stems("who wrot the comic")).typos == {"wrot": "write"}
    assert engine.vocabulary.read(stems("what's for lunch")).typos == {}


def test_a_letter_typed_twice_is_a_typo_even_in_a_short_word(engine: Engine) -> None:
    assert engine.vocabulary.read(stems("did it make the top tenn")).typos == {"tenn": "ten"}
    # A real word with a double letter is as meant: "good" is not "god".
    assert engine.vocabulary.read(stems("is it good")).typos == {}


@pytest.mark.parametrize(("typed", "meant"), [("meny", "many"), ("dayz", "day")])
def test_a_mistyped_vowel_or_a_plural_z_is_a_typo(engine: Engine, typed: str, meant: str) -> None:
    assert engine.vocabulary.read(stems(f"how {typed} days")).typos == {typed: meant}


def test_inflected_real_words_meet_their_lexicon_form(engine: Engine) -> None:
    reading = engine.vocabulary.read(stems("how is netflix calculating this"))
    assert "calc" in reading.concepts
    # Another word that starts the same is not a form of it: "plant" is not "plan".
    assert engine.vocabulary.read(stems("did they plant seeds for it")).typos == {}
    # A form the dictionary knows is read as its dictionary form, listed or not.
    for said, lemma, concept in [("helmed", "helm", "direct"), ("binged", "binge", "watch")]:
        reading = engine.vocabulary.read(stems(f"who {said} it"))
        assert reading.typos == {said: lemma}
        assert concept in reading.concepts


@pytest.mark.parametrize(
    "question", ["the heist show", "that heist one", "this heist series", "the heist tv show"]
)
def test_a_show_called_by_its_names_word_is_that_show(engine: Engine, question: str) -> None:
    assert engine.vocabulary.read(stems(f"is {question} on the list")).entities == ["money_heist"]


@pytest.mark.parametrize(
    "description",
    ["the series in first place", "the programme at the top", "that one in the #1 spot"],
)
def test_a_show_described_by_its_place_takes_any_noun(engine: Engine, description: str) -> None:
    reading = engine.vocabulary.read(stems(f"how many hours did {description} get"))
    assert reading.entities == ["squid_game"]


def test_a_description_alias_is_not_said_otherwise(engine: Engine) -> None:
    # "the number one show" is Squid Game, but "the number one series on netflix" is any
    # show's record: only a name's own word is varied ("the heist one").
    reading = engine.vocabulary.read(stems("was it ever the number one series on netflix"))
    assert reading.entities == []


def test_netflix_alone_does_not_point_at_the_show(engine: Engine) -> None:
    assert not engine.vocabulary.read(stems("how many hours has kingdom had on netflix")).anchored
    assert engine.vocabulary.read(stems("how many hours has this netflix show had")).anchored


def test_a_described_show_means_the_subject(engine: Engine) -> None:
    reading = engine.vocabulary.read(stems("who directed the zombie school show"))
    assert set(reading.concepts) == {"who", "direct"}
    assert reading.unknown == []
    # The noun may come before other describing words: "kdrama" in "…kdrama hit netflix".
    reading = engine.vocabulary.read(stems("when'd the zombie kdrama hit netflix"))
    assert "zombie" not in reading.concepts


def test_an_ordinal_numbering_a_counted_thing_asks_no_place(engine: Engine) -> None:
    # "first" numbers the days: the question asks the hours, not who is number one.
    answer = engine.answer("how many hours did all of us are dead get in its first 28 days")
    assert answer.intent == "hours"
    reading = engine.vocabulary.read(stems("the third, fourth and fifth seasons"))
    assert reading.numbering == {"third", "fourth", "fifth"}
    # An ordinal alone still asks a place.
    assert engine.vocabulary.read(stems("which show is third on the list")).numbering == set()
    assert not engine.answer("which show is third on the list").answered


def test_an_ordinal_before_a_question_word_orders_the_asking(engine: Engine) -> None:
    # "but first, who wrote it": no place on the list is asked.
    reading = engine.vocabulary.read(stems("but first who even wrote the webtoon"))
    assert reading.numbering == {"first"}
    assert engine.answer("ok but first who even wrote the webtoon?").intent == "comic_author"
    # "the first day" still says which day.
    assert engine.vocabulary.read(stems("when is the first day it was showing")).numbering == set()


def test_an_aside_before_but_is_read_as_filler(engine: Engine) -> None:
    answer = engine.answer("unrelated but when did all of us are dead premiere")
    assert answer.fact_ids == ["aouad_premiere"]
    reading = engine.vocabulary.read(stems("unrelated but when did it premiere"))
    assert reading.unknown == []


def test_place_words_naming_the_list_are_read_as_the_list(engine: Engine) -> None:
    reading = engine.vocabulary.read(stems("how many days does netflix count for the top 10 list"))
    assert "top" not in reading.concepts and "ten" not in reading.concepts
    assert "list" in reading.concepts
    answer = engine.answer("how many days of viewing does netflix count for the top 10 list?")
    assert answer.fact_ids == ["ranking_rule"]
    # "top ten" not before "list" still says a place.
    assert "top" in engine.vocabulary.read(stems("was it in the top ten")).concepts


@pytest.mark.parametrize("span", ["top 3", "top three", "top 20", "top twenty", "top 5"])
def test_a_place_word_before_a_count_is_a_span_asking_where_a_show_stands(
    engine: Engine, span: str
) -> None:
    reading = engine.vocabulary.read(stems(f"is all of us are dead in the {span}"))
    assert "span" in reading.concepts
    assert not {"top", "first", "third", "fifth"} & reading.concepts.keys()
    assert reading.unknown == []
    answer = engine.answer(f"is all of us are dead in the {span}?")
    assert answer.intent == "rank" and "fifth" in answer.text


def test_a_count_the_lexicon_reads_or_one_is_no_span(engine: Engine) -> None:
    # "top ten" is the list's own size; "the top one" is the show at the top.
    assert "span" not in engine.vocabulary.read(stems("was it in the top ten")).concepts
    # A figure is no count of places; before "list" a span names the list.
    assert "span" not in engine.vocabulary.read(stems("did it top 300 million hours")).concepts
    assert engine.answer("what shows are on the top 5 list").intent == "ranking_list"
    assert engine.answer("what's the top one on the list").intent == "number_one"


def test_the_unknown_words_after_my_are_the_askers_own(engine: Engine) -> None:
    reading = engine.vocabulary.read(stems("need the day aouad hit netflix for my blog post"))
    assert reading.unknown == []
    answer = engine.answer("need the exact day aouad hit netflix for my blog post")
    assert answer.fact_ids == ["aouad_premiere"]
    # Only the words right after it: a word the lexicon reads ends what is theirs.
    assert "school" in engine.vocabulary.read(stems("for my school paper")).concepts


def test_it_contracted_still_points(engine: Engine) -> None:
    # "it'd" and "it'll" lose their apostrophe as every word does, and still say "it".
    for said in ("what would it'd be about", "when it'll come out"):
        assert engine.vocabulary.read(stems(said)).pointing


def test_the_word_after_how_many_says_the_kind_of_answer(engine: Engine) -> None:
    # As after "what": "how many hours" asks hours, so an intent saying no hours fits less.
    assert engine.vocabulary.read(stems("how many hours did it get")).kind == "hour"


def test_remembered_corrections_stay_bounded(engine: Engine) -> None:
    for n in range(vocabulary.CORRECTIONS_KEPT + 50):
        engine.vocabulary.read(stems(f"who directd it zq{n:05d}x"))
    assert 0 < engine.vocabulary._correction.cache_info().currsize <= vocabulary.CORRECTIONS_KEPT
    # Remembered or not, a typo reads the same.
    assert "direct" in engine.vocabulary.read(stems("who directd it")).concepts
