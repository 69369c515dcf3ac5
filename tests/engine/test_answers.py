"""What the engine answers, and above all what it declines."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.question_set import load_question_set
from bot.engine import Engine
from bot.engine.config import EngineConfig

ANSWERED = [
    # (question, fact it must use, text the answer must contain)
    ("who directed it", "aouad_director", "Lee Jae-kyoo"),
    ("director", "aouad_director", "Lee Jae-kyoo"),
    ("WHO DIRECTED THIS???", "aouad_director", "Lee Jae-kyoo"),
    ("who directed the zombie school show", "aouad_director", "Lee Jae-kyoo"),
    ("premiere?", "aouad_premiere", "January 28"),
    ("who wrot the comic", "webtoon_author", "Joo Dong-geun"),
    ("how long have people spent bingeing it", "aouad_hours", "361 million"),
    ("<@123456789012345678> how many hours has AOUAD been watched 🧟", "aouad_hours", "361"),
    ("지금 우리 학교는 director", "aouad_director", "Lee Jae-kyoo"),
    ("how many hours did squid gaem get", "squid_game_hours", "1.65 billion"),
    ("what genre is lupin", "lupin_genre", "French mystery"),
    ("is elite spanish", "elite_origin", "Spanish"),
    ("lee jae kyu", "lee_identity", "director"),
    ("how is the list calculated", "ranking_rule", "28 days"),
    ("what's number one on the list", "ranking_number_one", "Squid Game"),
    ("will there be a season 2", "season_two", "confirmed"),
    ("what did the director say about bullying", "quote_bullying_and_society", "bullying"),
    ("what's the french mystery series called", "lupin_identity", "Lupin"),
    ("when did aouad hit netflix", "aouad_premiere", "January 28"),  # a phrase naming Netflix
    ("pls tell me they're making more", "season_two", "confirmed"),
    ("did aouad make the top ten when it first came out", "aouad_top_ten_debut", "top ten"),
    ("director and premiere?", "aouad_director", "January 28"),  # terse parts each ask
    # "which show" is asked of intents that answer with a show, not of "where does it rank".
    ("which show holds the top position on that non-english list", "ranking_number_one", "Squid"),
    ("how many hours has the number one show racked up?", "squid_game_hours", "1.65 billion"),
    # France is French; answered from the shows' values, which cite the origin facts.
    ("which show from france made the list", "lupin_origin", "Lupin"),
    ("is there a frnech show on the lsit too", "lupin_origin", "Lupin"),  # read as corrected
    ("top10 source?", "aouad_top_ten_debut", "Variety"),
    ("which seasons of the heist show made the list", "money_heist_seasons", "third"),
    ("yo who tf made this show its fire", "aouad_director", "Lee Jae-kyoo"),  # slang: filler
]

DECLINED = [
    "who directed Kingdom?",
    "how many hours did Hellbound get?",
    "how long is an episode?",
    "who directed squid game?",
    "what genre is squid game",
    "how many hours did lupin get",
    "where does lupin rank",
    "which show is third on the list",
    "what is number two on the list?",
    "what's the most watched english show on netflix",
    "who plays the main character",
    "how many episodes are there",
    "what's the korean title of the show",
    "asdfghjkl",
    "",
    "lol",
    # A list the article cannot make is not its one show at the top, nor who wrote a report.
    "list all ten shows of the top ten",
    "which variety reporter wrote the piece on its top ten debut",
]


@pytest.mark.parametrize(("question", "fact_id", "needle"), ANSWERED)
def test_answers_from_the_right_fact(
    engine: Engine, question: str, fact_id: str, needle: str
) -> None:
    answer = engine.answer(question)
    assert answer.answered, engine.explain(question)
    assert fact_id in answer.fact_ids, engine.explain(question)
    assert needle.lower() in answer.text.lower()
    assert answer.source is not None
    assert str(answer.source) == "Virgin Radio, 9 Feb 2022"


@pytest.mark.parametrize("question", DECLINED)
def test_declines_what_the_article_does_not_answer(engine: Engine, question: str) -> None:
    answer = engine.answer(question)
    assert not answer.answered, engine.explain(question)
    assert answer.fact_ids == []
    assert 1 <= len(answer.suggestions) <= 3


def test_decline_about_a_known_show_says_what_is_missing(engine: Engine) -> None:
    answer = engine.answer("who directed squid game?")
    assert "Squid Game" in answer.text
    assert "doesn't say" in answer.text


@pytest.mark.parametrize("show", ["elite", "lupin"])
def test_seasons_the_article_names_for_one_show_only_are_declined_for_another(
    engine: Engine, show: str
) -> None:
    # Being on the list is not which seasons are: only Money Heist's are given.
    answer = engine.answer(f"which seasons of {show} made the list?")
    assert not answer.answered
    assert "doesn't say which seasons" in answer.text
    assert engine.answer("which seasons of money heist made the list?").answered


def test_compound_question_answers_both_parts(engine: Engine) -> None:
    answer = engine.answer("who directed it and when did it come out?")
    assert answer.answered
    assert {"aouad_director", "aouad_premiere"} <= set(answer.fact_ids)
    assert "Lee Jae-kyoo" in answer.text and "January 28" in answer.text


def test_later_part_of_a_compound_keeps_the_named_show(engine: Engine) -> None:
    # "it" in the second part is Squid Game, whose genre the article does not give.
    answer = engine.answer("how many hours did squid game get and what genre is it?")
    assert answer.fact_ids == ["squid_game_hours"]


def test_answer_cites_its_evidence_sentences(engine: Engine) -> None:
    answer = engine.answer("who wrote the webtoon")
    assert answer.evidence
    article = engine.kb.article
    assert all(sentence.split()[0] in article for sentence in answer.evidence)


def test_json_shape_is_the_documented_one(engine: Engine) -> None:
    data = engine.answer("director?").to_json_dict()
    assert list(data) == [
        "question",
        "answered",
        "answer",
        "intent",
        "entity",
        "confidence",
        "source",
        "suggestions",
    ]
    assert data["intent"] == "director"
    assert data["entity"] == "all_of_us_are_dead"
    assert isinstance(data["confidence"], int) and 0 <= data["confidence"] <= 100


def test_explain_names_the_decision(engine: Engine) -> None:
    text = engine.explain("who directed kingdom")
    assert "kingdom" in text
    assert "decline" in text


@pytest.mark.parametrize(
    "question",
    [
        "what time is it",
        "who are you",
        "what's for lunch",
        "which show is fourth?",
        "what's the second most watched non-english show",
        "how many people watched it",
        "who plays on-jo",
        "when did squid game premiere",
        "is squid game a korean show?",
        "recommend me a good anime pls",
        # Pointing at nothing ("it", a name), the unknown word is likely the subject.
        "when did kingdom premiere on netflix",
        "how many hours has hellbound been watched",  # no English word: likely a name
        "how many hours did squid game get in its first week",  # the article gives 28 days
        "how many people actually watched it, not hours, like accounts",  # "not hours": a fragment
        "who interviewed lee jae-kyoo for the korea times",  # the outlet, not the interviewer
        "does on-jo survive",
    ],
)
def test_declines_chatter_and_near_misses(engine: Engine, question: str) -> None:
    answer = engine.answer(question)
    assert not answer.answered, engine.explain(question)


@pytest.mark.parametrize(
    ("question", "needle"),
    [
        ("is it on hulu", "Netflix"),
        ("is money heist italian?", "Spanish"),
        ("is it a romantic comedy?", "zombie"),
        ("was it released on february 9?", "January 28"),
    ],
)
def test_false_premises_get_the_article_answer(engine: Engine, question: str, needle: str) -> None:
    answer = engine.answer(question)
    assert answer.answered, engine.explain(question)
    assert needle in answer.text


@pytest.mark.parametrize(
    "question", ["when does season 2 come out?", "season 2 release date", "SEASON 2 WHEN?!?!"]
)
def test_a_question_the_article_leaves_open_is_declined_by_name(
    engine: Engine, question: str
) -> None:
    answer = engine.answer(question)
    assert not answer.answered, engine.explain(question)
    assert answer.intent == "season_two_date"
    assert "doesn't say when a second season of All of Us Are Dead comes out" in answer.text
    assert "Will there be a season two?" in answer.suggestions


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("who made the webtun", "webtoon_author"),
        ("dirrecter??", "aouad_director"),
        ("whats numbr one on the lsit", "ranking_number_one"),  # letters swapped
        ("did it debut in the top tne", "aouad_top_ten_debut"),  # three letters, swapped
        ("what did lee say about how crule the kids are", "quote_cruel_kids_parallel_society"),
        ("how many hors has it been wacthed", "aouad_hours"),  # "hors" stems to "hor"
    ],
)
def test_words_spelt_by_ear_or_with_letters_swapped_are_read(
    engine: Engine, question: str, fact_id: str
) -> None:
    answer = engine.answer(question)
    # A quote comes first, with the one the article quotes beside it.
    assert answer.fact_ids[0] == fact_id, engine.explain(question)
    assert len(answer.fact_ids) == (2 if fact_id.startswith("quote_") else 1)


def test_a_compound_reads_each_part_when_the_whole_would_mix_them(engine: Engine) -> None:
    # Read as one intent, "squid game" would make the hours Squid Game's; read as a
    # comparison, each show keeps its own figure.
    question = "how many hours has it been watched, and is it better than squid game?"
    answer = engine.answer(question)
    assert "aouad_hours" in answer.fact_ids, engine.explain(question)
    assert "more than 361 million hours" in answer.text


@pytest.mark.parametrize(
    ("question", "fact_ids"),
    [
        ("the webtoon art is sick btw, quick q who made it?", ["webtoon_author"]),
        (
            "is season 2 confirmed and what would it be about",
            ["season_two", "quote_survival_of_zombies", "quote_expanding_into_another_season"],
        ),
    ],
)
def test_a_later_it_points_at_the_earlier_topic(
    engine: Engine, question: str, fact_ids: list[str]
) -> None:
    answer = engine.answer(question)
    assert answer.fact_ids == fact_ids, engine.explain(question)


def test_the_word_after_what_says_the_kind_of_answer(engine: Engine) -> None:
    # The article says what the webtoon is, not where it was published.
    question = "what platform was the webtoon originally published on"
    assert not engine.answer(question).answered, engine.explain(question)
    assert engine.answer("what platform is it on").fact_ids == ["aouad_platform"]


def test_a_decline_only_says_the_article_is_silent_when_it_is(engine: Engine) -> None:
    # "doesn't say the genre of Elite" would be false: unsure readings say so instead.
    questions = Path(__file__).resolve().parents[1] / "questions"
    checked = 0
    for path in sorted(questions.glob("dev*.yaml")):
        for item in load_question_set(path):
            answer = engine.answer(item.q)
            if answer.answered or "doesn't say" not in answer.text:
                continue
            checked += 1
            assert answer.intent is not None
            if engine.kb.intents[answer.intent].left_open:
                continue
            assert answer.entity is not None
            has_fact = any(
                fact.about == answer.entity or answer.entity in fact.mentions
                for fact in engine.kb.facts_for(answer.intent)
            )
            assert not has_fact, item.q
    assert checked


def test_a_long_message_is_read_for_its_last_question(engine: Engine) -> None:
    question = (
        "ok so i just finished it last night and i literally cried at the end, my sister "
        "still hasnt started it and im gonna make her watch it this weekend lol, anyway "
        "does anyone know who the director is"
    )
    assert engine.answer(question).fact_ids == ["aouad_director"], engine.explain(question)


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        # "it" said before the name is not the name: it is the show.
        ("how does it compare to squid game, where does it rank?", "aouad_rank"),
        # "it" said after the name is the name.
        ("i've heard of lupin but never watched it, what kind of series is it?", "lupin_genre"),
    ],
)
def test_a_later_it_means_the_name_only_when_it_came_after_it(
    engine: Engine, question: str, fact_id: str
) -> None:
    # The part asking about "it" is answered last (the chat before it may be read as a
    # question of its own: "i've heard of lupin" as whether Lupin is on the list).
    assert engine.answer(question).fact_ids[-1] == fact_id, engine.explain(question)


@pytest.mark.parametrize(
    "question",
    [
        "is there another show from spain on there besides money heist",
        "apart from money heist, which spanish show is on the list",
    ],
)
def test_a_name_after_besides_is_left_out_of_the_answer(engine: Engine, question: str) -> None:
    answer = engine.answer(question)
    assert "Elite" in answer.text, engine.explain(question)
    assert "Money Heist" not in answer.text


def test_how_many_is_not_answered_by_a_fact_stating_no_figure(engine: Engine) -> None:
    # The director's quote names the new races of zombies but counts none.
    assert not engine.answer("how many new zombie races will season 2 have?").answered
    assert "quote_new_zombies" not in engine.matcher.counting
    # A fact with a figure still answers "how many".
    assert engine.answer("how many hours has all of us are dead been watched?").answered
    # "How long" asks a figure too: the record the show held comes with no duration.
    assert not engine.answer("how long was it the most watched tv series on netflix?").answered
    assert engine.answer("how long is the ranking's counting window?").answered


def test_an_unknown_verb_counts_less_than_an_unknown_noun(engine: Engine) -> None:
    matcher = engine.matcher
    assert matcher.unknown_weight("cooked") < matcher.unknown_weight("budget")
    # A typo's reading ("naver": "never") is not a word its writer chose.
    assert matcher.unknown_weight("never", True) == matcher.unknown_weight("budget")
    question = "ngl who's the director that cooked with aouad"
    assert engine.answer(question).fact_ids == ["aouad_director"], engine.explain(question)
    assert not engine.answer("who directed kingdom").answered


@pytest.mark.parametrize(
    "question",
    [
        # A premise is not the question: who directed Squid Game, the article doesn't say.
        "who directed squid game then, if lee did all of us are dead",
        # A question pointing at nothing but a name the article lacks asks about that name.
        "where does hellbound rank on the non-english list",
        # "that" points at the list, after the question has named Hellbound.
        "where does hellbound rank on that non-english list",
    ],
)
def test_a_premise_or_a_strange_name_does_not_get_the_shows_answer(
    engine: Engine, question: str
) -> None:
    assert not engine.answer(question).answered, engine.explain(question)
    assert engine.answer("where does it rank on the non-english list").answered


def test_a_part_saying_nothing_of_its_own_does_not_borrow_the_earlier_topic(
    engine: Engine,
) -> None:
    # "idk if that's true" points back at the comic but asks nothing about it.
    question = "my friend swears there are loads of unadapted comic chapters, idk if that's true"
    assert "aouad_based_on" not in engine.answer(question).fact_ids, engine.explain(question)


def test_two_intents_that_fit_equally_about_different_things_are_not_guessed(
    engine: Engine,
) -> None:
    # On the phrasings' fit alone, "he" could be the director or Variety's writer: what
    # Variety said is a guess. What fans asking so meant (the intent model) settles it:
    # the director's words.
    question = "what did he actually say"
    engine.matcher.intent_model, model = None, engine.matcher.intent_model
    try:
        assert not engine.answer(question).answered, engine.explain(question)
        assert engine.answer("what did the director actually say").answered
    finally:
        engine.matcher.intent_model = model
    assert engine.answer(question).intent == "quote_any", engine.explain(question)


def test_a_relative_who_does_not_start_a_question_of_its_own(engine: Engine) -> None:
    question = "what's the name of the korea times journalist who interviewed lee jae-kyoo"
    assert not engine.answer(question).answered, engine.explain(question)


def test_the_tail_of_a_question_the_article_does_not_answer_is_no_question(
    engine: Engine,
) -> None:
    # "a possible season two" alone fits the second season exactly, but here it only ends
    # a question nothing answers.
    question = "what two kinds of survival did he lay out for season one and a possible season two?"
    assert not engine.answer(question).answered
    # After an answered question, a part asking nothing may still ask ("… and the date").
    assert len(engine.answer("who directed all of us are dead and its premiere date").fact_ids) == 2


def test_a_part_saying_again_what_the_article_leaves_open_does_not_answer(
    engine: Engine,
) -> None:
    # The release date asked for is season two's, not the show's premiere.
    question = "when is season 2 coming out, is there a release date"
    assert not engine.answer(question).answered, engine.explain(question)
    assert engine.answer("is there a release date").answered


def test_a_phrasing_naming_the_director_is_also_asked_with_his_role(engine: Engine) -> None:
    # The quotes' phrasings say "lee"; fans say "the director".
    question = "what did the director say about how the show relates to the real world"
    answer = engine.answer(question)
    # The quote fitting best comes first (another of his that fits about as well may follow).
    assert answer.fact_ids[0] == "quote_cruel_kids_parallel_society", engine.explain(question)
    # "who is lee" is not "who directed it".
    assert engine.answer("who directed squid game").answered is False


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # The question itself answers: the framing part adds nothing.
        ("according to the director, what school problem is the story about on the surface", True),
        # A bare name framing a question the article does not answer is no answer.
        ("per lee, who plays the main girl", False),
    ],
)
def test_a_framing_part_answers_only_for_a_question_that_does_not(
    engine: Engine, question: str, answered: bool
) -> None:
    answer = engine.answer(question)
    assert answer.answered is answered, engine.explain(question)
    if answered:
        assert answer.fact_ids[0] == "quote_bullying_and_society"


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("who directed kingdom?", "Kingdom"),
        ("who wrote the webtoon that sweet home is based on", "Sweet Home"),
        ("how many hours did aouad get compared to the walking dead", "The Walking Dead"),
    ],
)
def test_a_question_about_another_show_declines_by_its_title(
    engine: Engine, question: str, title: str
) -> None:
    answer = engine.answer(question)
    assert not answer.answered, engine.explain(question)
    assert f"doesn't cover {title}" in answer.text


def test_another_shows_title_in_one_part_leaves_the_others_answered(engine: Engine) -> None:
    answer = engine.answer("who directed aouad, and who directed kingdom?")
    assert answer.fact_ids == ["aouad_director"]


def test_which_show_is_told_by_the_kind_it_names(engine: Engine) -> None:
    # France names Lupin's country: other words shared with another answer do not count.
    question = "which show from france also appears among the top foreign-language originals"
    assert engine.answer(question).fact_ids == ["lupin_identity"], engine.explain(question)
    question = "what's the name of the spanish robbery show that also made the chart"
    assert engine.answer(question).fact_ids == ["money_heist_identity"], engine.explain(question)


def test_a_who_question_naming_the_source_asks_for_its_writer(engine: Engine) -> None:
    answer = engine.answer("who wrote this virgin radio article?")
    assert not answer.answered and "it names Virgin Radio, and no more" in answer.text
    # Naming the paper he talked to, "who" asks for the journalist; not naming it, the paper.
    assert not engine.answer("who from the korea times actually interviewed lee").answered
    assert engine.answer("who did lee jae-kyoo talk to").fact_ids == ["lee_interview"]
    # Not naming it, the question asks for the source itself.
    assert engine.answer("who wrote this article?").fact_ids == ["article_source"]
    assert engine.answer("is your info from virgin radio").fact_ids == ["article_source"]


@pytest.mark.parametrize(
    "question",
    [
        "french show?",
        "is there a show from france among the most popular series",
        # "it" after the French show is that show.
        "is there a show from france on there, what's it called",
    ],
)
def test_a_kind_of_show_the_subject_is_not_gets_none_of_its_facts(
    engine: Engine, question: str
) -> None:
    # A French show, not this (Korean) one: no fact about All of Us Are Dead answers.
    answer = engine.answer(question)
    assert not answer.answered or answer.entity != "all_of_us_are_dead", engine.explain(question)
    # Pointing at the show, the same words are a false premise to correct.
    assert engine.answer("is it a french show?").fact_ids == ["aouad_origin"]


def test_a_kind_of_show_is_answered_by_the_show_of_that_kind(engine: Engine) -> None:
    answer = engine.answer("french show?")
    assert (answer.intent, answer.fact_ids) == ("which_show", ["lupin_identity"])


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("how many hours did the show that came fifth get watched?", "aouad_hours"),
        ("when did the series adapted from joo dong-geun's webtoon premiere?", "aouad_premiere"),
        ("how many hours did the show at the top get?", "squid_game_hours"),
        ("who directed the show based on 'now at our school'?", "aouad_director"),
    ],
)
def test_a_show_described_instead_of_named_is_asked_about(
    engine: Engine, question: str, fact_id: str
) -> None:
    # The description's words ("fifth", "webtoon") would pull the question towards the
    # place or the webtoon: it is read as the show it describes.
    assert engine.answer(question).fact_ids == [fact_id], engine.explain(question)


def test_a_clause_about_the_show_is_no_description(engine: Engine) -> None:
    # "the show entered the top ten" is what was said, not which show: read as it stands.
    plain = Engine(engine.kb, EngineConfig(description_gate=0))
    question = "what outlet was it that said the show entered the top ten?"
    assert engine.answer(question).text == plain.answer(question).text
    assert not engine.answer("how many hours did the show that came third get?").answered


def test_a_quote_question_fitting_two_of_his_quotes_gets_both(engine: Engine) -> None:
    # "next season" and "introduce" fit both of the director's quotes on another season.
    answer = engine.answer("what did lee jae-kyoo say the next season could introduce?")
    assert set(answer.fact_ids) == {
        "quote_survival_of_zombies",
        "quote_expanding_into_another_season",
    }
    assert "new races of zombies" in answer.text
    # A question that fits one quote clearly gets that one first, then the one the article
    # quotes beside it (the same passage), not one of another passage.
    bullying = engine.answer("what did the director say about school bullying?")
    assert bullying.fact_ids == ["quote_bullying_and_society", "quote_cruel_kids_parallel_society"]


def test_a_show_named_before_the_question_about_it_is_its_it(engine: Engine) -> None:
    # "what about elite" introduces the subject of "what spot does it sit in": the article
    # gives Elite no place, so the answer says so instead of describing Elite.
    answer = engine.answer("what about elite, what spot does it sit in?")
    assert not answer.answered and "Elite" in answer.text
    # A person named before "it" is no show: "it" is still the show.
    assert engine.answer("was it lee jae kyu who directed it or am i mixing ppl up").answered


def test_a_question_asking_for_a_list_is_not_answered_with_one_shows_fact(engine: Engine) -> None:
    # Every figure the article gives, not one show's fact.
    answer = engine.answer("list the viewing-hour figures the article gives")
    assert answer.intent == "every_value_hours"
    assert "361 million" in answer.text and "1.65 billion" in answer.text
    # "list" as a noun asks no list; the people named are a list the article gives.
    assert engine.answer("list criteria").fact_ids == ["ranking_rule"]
    assert engine.answer("list all the people named in the article").answered


def test_the_ranking_rule_needs_a_question_about_the_rule(engine: Engine) -> None:
    # "position on list" says the list and a place, as "how is the list ranked" does, but
    # asks no how, counting, days or basis: it asks the show's place.
    assert engine.answer("position on list").fact_ids == ["aouad_rank"]
    assert engine.answer("how is the list ranked").fact_ids == ["ranking_rule"]
    assert engine.answer("first 28 days?").fact_ids == ["ranking_rule"]
    # "name the director" asks a name, not a list.
    assert engine.answer("name the director").fact_ids == ["aouad_director"]


def test_the_story_about_something_is_the_article(engine: Engine) -> None:
    # The only story there is: what follows "the story about" only describes it.
    answer = engine.answer(
        "which radio station published the story about the zombie k-drama's viewing numbers?"
    )
    assert answer.answered and "Virgin Radio" in answer.text
    # "what is the story about" asks the plot, as before.
    assert "zombie" in engine.answer("what is the story about").text


def test_a_premise_says_what_a_question_not_pointing_back_is_about(engine: Engine) -> None:
    # "which newspaper" alone would be the article's own outlet; the premise says whose.
    question = "if i want to look up the director's comments, what newspaper do i check?"
    assert engine.answer(question).fact_ids == ["lee_interview"], engine.explain(question)


@pytest.mark.parametrize(
    "question",
    [
        "how does netflix work out its non-english rankings?",
        "what time window does the netflix ranking use?",
    ],
)
def test_the_counting_and_its_window_tell_the_rule_from_the_list(
    engine: Engine, question: str
) -> None:
    assert engine.answer(question).fact_ids == ["ranking_rule"], engine.explain(question)


def test_the_season_two_answer_says_what_the_next_season_could_be_about(engine: Engine) -> None:
    assert "survival of zombies" in engine.answer("season 2 plans?").text


def test_a_quote_question_about_the_next_season_gets_both_next_season_quotes(
    engine: Engine,
) -> None:
    # Both quotes are about another season; the second fits within 0.15 of the first.
    answer = engine.answer("where will the story go next season according to the director")
    assert set(answer.fact_ids) == {
        "quote_expanding_into_another_season",
        "quote_survival_of_zombies",
    }


def test_a_decline_knowing_nothing_closer_suggests_in_the_order_the_intents_give(
    engine: Engine,
) -> None:
    suggestions = engine.answer("asdfghjkl").suggestions
    assert suggestions[0] == "Who directed All of Us Are Dead?"


def test_a_quote_comes_with_the_one_the_article_quotes_beside_it(engine: Engine) -> None:
    # Fits the quote on new races of zombies best; the zombies' survival is its neighbour.
    answer = engine.answer("s2 gonna be from the zombies pov or what")
    assert set(answer.fact_ids) == {
        "quote_expanding_into_another_season",
        "quote_survival_of_zombies",
    }, engine.explain("s2 gonna be from the zombies pov or what")
