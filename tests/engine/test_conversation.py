"""Follow-ups: `Engine.answer(question, context)` resolves against the last exchange."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.evaluate import score_question_set
from bot.cli.question_set import load_question_set
from bot.engine import Answer, Engine
from bot.engine.context import Conversation

FOLLOW_UPS = Path(__file__).resolve().parents[1] / "questions" / "dev_followups.yaml"


def _talk(engine: Engine, *messages: str) -> Answer:
    """Return the answer to the last of `messages`, each asked after the ones before."""
    context: Conversation | None = None
    answer = None
    for message in messages:
        answer = engine.answer(message, context)
        context = answer.context
    assert answer is not None
    return answer


def test_without_context_the_answer_is_todays(engine: Engine) -> None:
    alone = engine.answer("how many hours did it get?")
    assert "361 million" in alone.text
    assert engine.answer("how many hours did it get?", None).text == alone.text
    assert engine.answer("how many hours did it get?", Conversation()).text == alone.text


def test_every_answer_says_what_the_conversation_is_about_now(engine: Engine) -> None:
    context = engine.answer("who directed all of us are dead?").context
    assert context == Conversation(
        named=("all_of_us_are_dead",),
        answered=("all_of_us_are_dead", "lee_jae_kyoo"),
        intent="director",
    )


def test_ellipsis_asks_the_last_question_of_the_new_name(engine: Engine) -> None:
    answer = _talk(
        engine, "how many hours has all of us are dead been watched", "and squid game's?"
    )
    assert answer.answered and answer.fact_ids == ["squid_game_hours"]
    assert _talk(engine, "what country is money heist from", "and lupin?").fact_ids == [
        "lupin_origin"
    ]
    # Chat spells the question word its own way: the vocabulary's reading of it counts.
    spelt = _talk(engine, "how many hours did squid game get", "wat about all of us are dead")
    assert spelt.fact_ids == ["aouad_hours"]


def test_a_described_show_is_a_new_name_too(engine: Engine) -> None:
    answer = _talk(engine, "is lupin on the list?", "what about the spanish thriller?")
    assert answer.fact_ids == ["elite_on_list"]


@pytest.mark.parametrize(
    ("first", "follow_up", "fact_id"),
    [
        ("tell me about squid game", "how long have people watched it?", "squid_game_hours"),
        ("which show is number one?", "how many hours did it get?", "squid_game_hours"),
        ("who directed all of us are dead?", "what did he say about bullying?", None),
        ("tell me about lupin", "where is it from?", "lupin_origin"),
    ],
)
def test_a_pronoun_means_the_most_recent_fitting_name(
    engine: Engine, first: str, follow_up: str, fact_id: str | None
) -> None:
    answer = _talk(engine, first, follow_up)
    assert answer.answered, engine.explain(follow_up, engine.answer(first).context)
    if fact_id is not None:
        assert answer.fact_ids == [fact_id]
    else:
        assert answer.entity == "lee_jae_kyoo"  # "he" is the director, not the show


def test_what_the_article_lacks_for_the_new_name_is_declined_by_name(engine: Engine) -> None:
    answer = _talk(engine, "tell me about Elite", "how long have people watched it?")
    assert not answer.answered
    assert "Elite" in answer.text and "361" not in answer.text
    assert answer.entity == "elite"
    ellipsis = _talk(engine, "what's Money Heist's place on the list?", "and Lupin's?")
    assert not ellipsis.answered and "Lupin" in ellipsis.text


def test_a_comparison_naming_no_attribute_compares_the_last_one(engine: Engine) -> None:
    answer = _talk(engine, "how many hours did aouad get", "is that more than the top show?")
    assert answer.answered and answer.intent == "check_hours"
    assert "1.65 billion" in answer.text and "361 million" in answer.text


def test_a_question_naming_its_own_subject_ignores_the_context(engine: Engine) -> None:
    answer = _talk(engine, "tell me about lupin", "who directed all of us are dead?")
    assert answer.fact_ids == ["aouad_director"]
    assert answer.context is not None and answer.context.named == ("all_of_us_are_dead",)


def test_a_pronoun_meaning_two_names_that_answer_differently_is_asked_back(
    engine: Engine,
) -> None:
    answer = _talk(
        engine, "is lupin more watched than all of us are dead?", "when did it premiere?"
    )
    assert not answer.answered
    assert answer.text == "Do you mean Lupin or All of Us Are Dead?"
    # The reply to the question back is the question about the one meant.
    assert answer.context is not None
    reply = engine.answer("all of us are dead", answer.context)
    assert reply.fact_ids == ["aouad_premiere"]


def test_two_names_answering_alike_need_no_question_back(engine: Engine) -> None:
    answer = _talk(engine, "is lupin more watched than all of us are dead?", "which is number one?")
    assert answer.answered and "Squid Game" in answer.text


def test_chat_between_questions_keeps_the_topic(engine: Engine) -> None:
    answer = _talk(engine, "tell me about squid game", "lol ok", "how many hours did it get?")
    assert answer.fact_ids == ["squid_game_hours"]


def test_the_follow_up_set_gets_no_wrong_answer(engine: Engine) -> None:
    report = score_question_set(engine, load_question_set(FOLLOW_UPS))
    assert len(report.graded) >= 80
    assert report.wrong == 0, [g.question.q for g in report.graded if g.outcome == "wrong"]
    assert all(g.question.context for g in report.graded)


def test_it_may_mean_the_topic_the_last_question_asked_about(engine: Engine) -> None:
    answer = _talk(engine, "is there going to be a season 2?", "when will it come out?")
    assert not answer.answered and answer.intent == "season_two_date"
    assert "January 28" not in answer.text  # not the show's premiere


def test_an_ellipsis_describing_no_one_show_is_declined(engine: Engine) -> None:
    answer = _talk(engine, "what's the french show on the list?", "and the spanish one?")
    assert not answer.answered
    assert "Lupin" not in answer.text and "French" not in answer.text


def test_a_show_described_by_its_place_is_a_new_name(engine: Engine) -> None:
    answer = _talk(engine, "which show is number one?", "and the fifth?")
    assert answer.fact_ids == ["aouad_rank"]


@pytest.mark.parametrize(
    ("first", "follow_up"),
    [
        ("who directed all of us are dead?", "is he korean?"),  # not the show's country
        ("where does your info come from?", "who wrote it?"),  # not the webtoon's author
    ],
)
def test_facts_not_about_what_it_points_at_do_not_answer(
    engine: Engine, first: str, follow_up: str
) -> None:
    assert not _talk(engine, first, follow_up).answered


def test_a_comparison_naming_one_show_sets_it_against_the_show_talked_about(
    engine: Engine,
) -> None:
    answer = _talk(engine, "tell me about squid game", "how many more hours than aouad?")
    assert answer.intent == "difference_hours" and "1.29 billion" in answer.text
    same = _talk(engine, "what country is elite from", "is money heist from there too?")
    assert same.intent == "same_country" and same.text.startswith("Yes")


def test_it_after_a_name_may_mean_the_show_the_last_answer_named(engine: Engine) -> None:
    # The last question named no show; its answer did: "it" is that one, set against the
    # show the follow-up names ("where" asks the place, as "how high" does).
    answer = _talk(
        engine,
        "who is number one on the list?",
        "where does all of us are dead sit compared to it?",
    )
    assert answer.intent == "compare_position" and "fifth for All of Us Are Dead" in answer.text


def test_the_show_described_by_its_own_words_is_named_whatever_came_before(
    engine: Engine,
) -> None:
    # "zombie" describes only All of Us Are Dead in the article: not Lupin, talked about.
    answer = _talk(engine, "tell me about lupin", "who directed the zombie one?")
    assert answer.fact_ids == ["aouad_director"]
    # …but "is it a zombie show?" asks it of the show talked about.
    assert _talk(engine, "tell me about elite", "is it a zombie show?").entity == "elite"


def test_they_after_two_names_answers_for_each(engine: Engine) -> None:
    answer = _talk(engine, "are money heist and elite both spanish?", "what genre are they?")
    assert answer.answered
    assert answer.fact_ids == ["money_heist_genre", "elite_genre"]


@pytest.mark.parametrize(
    ("follow_up", "says"),
    [
        # Naming only the other show, a comparison compares the attribute talked about.
        ("how far behind squid game is that?", "1.29 billion more hours"),
        # Adding up needs two shows as comparing does: "that" is the one talked about.
        ("what's that plus squid game's total?", "Together more than 2.01 billion hours"),
        # "that" before a comparing word is the thing talked about, not a determiner.
        ("how much less is that vs squid game?", "1.29 billion more hours"),
        # "compare to" is one phrase: its "to" asks nothing more than "compare" does.
        ("how does that compare to squid game", "Squid Game has more hours"),
        # "get more" is no season two here: "more … than that" compares.
        ("did squid game get more or less than that?", "Squid Game has more hours"),
    ],
)
def test_a_figure_naming_the_other_show_uses_the_last_attribute(
    engine: Engine, follow_up: str, says: str
) -> None:
    answer = _talk(engine, "how many hours did aouad get?", follow_up)
    assert answer.answered and says in answer.text


def test_a_comparing_word_alone_compares_the_attribute_talked_about(engine: Engine) -> None:
    # "beat" says one show is ahead, not that the places are compared: after the hours,
    # the hours are.
    answer = _talk(engine, "how many hours did squid game get?", "so did aouad beat that?")
    assert answer.answered and "361 million" in answer.text
    # Without a figure talked about, it is the places.
    assert "fifth" in engine.answer("did aouad beat squid game?").text


def test_it_after_a_list_answer_could_be_any_show_listed(engine: Engine) -> None:
    answer = _talk(engine, "what are the two spanish shows on the list?", "what genre is it")
    assert not answer.answered
    assert answer.text == "Do you mean La Casa De Papel (Money Heist) or Elite?"
    assert answer.context is not None
    assert engine.answer("elite", answer.context).fact_ids == ["elite_genre"]


def test_he_may_mean_a_man_the_exchange_before_talked_about(engine: Engine) -> None:
    answer = _talk(
        engine, "who directed aouad?", "and who wrote the comic?", "whats his last name again"
    )
    assert not answer.answered
    assert answer.text == "Do you mean Joo Dong-geun or Lee Jae-kyoo?"
    # One man talked about in both exchanges is no question.
    same = _talk(
        engine, "who directed aouad?", "what did he say about bullying?", "and about season 2?"
    )
    assert same.answered and same.entity == "lee_jae_kyoo"


def test_a_follow_up_naming_nothing_asks_about_the_last_topic(engine: Engine) -> None:
    # "release date??" after a question about season 2 asks season 2's, which the article
    # lacks: never the show's premiere.
    answer = _talk(engine, "is there gonna be a season 2 of all of us are dead?", "release date??")
    assert not answer.answered and answer.intent == "season_two_date"
    assert "January 28" not in answer.text
    # A follow-up naming its subject by a noun is about that.
    named = _talk(engine, "is there gonna be a season 2?", "who directed the show?")
    assert named.fact_ids == ["aouad_director"]


def test_they_after_two_exchanges_means_both_shows(engine: Engine) -> None:
    answer = _talk(
        engine, "what is lupin", "where is elite from?", "r they from the same country or no"
    )
    assert answer.answered and answer.intent == "same_country"
    assert "French" in answer.text and "Spanish" in answer.text


def test_it_after_a_new_name_may_mean_the_one_before(engine: Engine) -> None:
    answer = _talk(
        engine, "how many hours did squid game get", "and all of us are dead?", "what rank is it"
    )
    assert not answer.answered and answer.text.startswith("Do you mean")
    # An exchange that picked one of the names before is no question.
    picked = _talk(
        engine,
        "which shows from spain are on that top list?",
        "which of them is the crime drama?",
        "whats its original spanish title",
    )
    assert picked.answered and "La Casa De Papel" in picked.text


def test_the_topic_stays_while_it_is_pointed_at(engine: Engine) -> None:
    answer = _talk(
        engine,
        "will there be a season 2?",
        "what does the director want to put in it?",
        "so when does it come out tho",
    )
    assert not answer.answered and answer.intent == "season_two_date"


def test_a_determiner_before_another_thing_points_at_nothing(engine: Engine) -> None:
    # "that top list" is the list, not the webtoon talked about.
    answer = _talk(
        engine,
        "what's the webtoon called that aoud is based on?",
        "btw how many days does netflix count hours for that top list",
    )
    assert answer.answered and "28 days" in answer.text


def test_it_after_a_question_about_a_topic_may_mean_any_name_the_answer_gave(
    engine: Engine,
) -> None:
    # "whats the webtoon called" is answered with the show's fact, which names the webtoon:
    # "it" may be either, and the article gives the webtoon no year.
    answer = _talk(
        engine, "whats the webtoon called that the show is based on", "what year did it come out"
    )
    assert not answer.answered and answer.text.startswith("Do you mean")
    # After a plain "which show" question, "it" is the show the answer is about.
    first = _talk(engine, "which show is number one?", "how many hours did it get?")
    assert first.fact_ids == ["squid_game_hours"]


def test_those_two_means_both(engine: Engine) -> None:
    answer = _talk(
        engine,
        "what country is elite from",
        "and lupin?",
        "so those two r from the same country or nah",
    )
    assert answer.intent == "same_country" and "French" in answer.text


def test_the_show_after_a_webtoon_answer_means_the_show_not_the_webtoon(engine: Engine) -> None:
    # The answer named the show, the webtoon and its author: "the show" is one of them only.
    answer = _talk(engine, "what webtoon is it based on?", "so when did the show come out?")
    assert answer.answered and "January 28" in answer.text


def test_it_after_the_ranking_list_is_asked_back(engine: Engine) -> None:
    # The list's answer names every show on it: "it" could be any of them.
    answer = _talk(engine, "which shows are on the most watched list?", "how many hours has it got")
    assert not answer.answered and answer.text.startswith("Do you mean"), answer.text
