"""Questions about several shows' values: comparisons, computed figures, lists by property,
yes/no claims, and declines naming the show whose value the article does not give."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.engine.attributes import Attribute, AttributeTable, Figure
from bot.engine.operations import Operation
from bot.knowledge import load_knowledge


@pytest.mark.parametrize(
    ("question", "operation", "attribute", "shows"),
    [
        ("which has more hours, squid game or aouad?", Operation.COMPARE, "hours", 2),
        ("is all of us are dead ranked above squid game?", Operation.CHECK, "position", 2),
        (
            "how many more hours did the top show get than the fifth?",
            Operation.DIFFERENCE,
            "hours",
            2,
        ),
        ("squid game's hours are how many times aouad's?", Operation.RATIO, "hours", 2),
        # A difference said outright: "watch time" names the hours, asks no ratio.
        (
            "how much more watch time does squid game have over aoad?",
            Operation.DIFFERENCE,
            "hours",
            2,
        ),
        ("add up squid game's and aouad's hours for me", Operation.TOTAL, "hours", 2),
        ("are money heist and elite from the same country?", Operation.SAME, "country", 2),
        ("which is french, lupin or money heist?", Operation.WHICH, "country", 2),
        ("which shows on the list are not spanish?", Operation.FILTER, "country", 0),
        ("does france or spain have more shows in that top ten?", Operation.COUNT, "country", 0),
        ("is it more watched than squid game?", Operation.CHECK, "hours", 2),
    ],
)
def test_reads_the_operation(
    engine: Engine, question: str, operation: Operation, attribute: str, shows: int
) -> None:
    read = engine.operations.read(question)
    assert read is not None
    assert (read.operation, read.attribute, len(read.shows)) == (
        operation,
        Attribute(attribute),
        shows,
    )


@pytest.mark.parametrize(
    "question",
    [
        "who directed squid game and all of us are dead?",  # asks the director, not a value
        "how many hours did it get and where does squid game rank",  # one show each
        "what's the best spanish food to try",  # a country, but no show
        "which korean paper got the interview with the director",  # an outlet
        "which show is #1 on that list and is it also korean",  # "it" is the #1 show
        "wat new kind of zombie stuff did they set up for s2",  # zombie is no property
        "is lupin french",  # one named show: the intents answer it
    ],
)
def test_leaves_other_questions_to_the_intents(engine: Engine, question: str) -> None:
    assert engine.operations.read(question) is None


@pytest.mark.parametrize(
    ("question", "says"),
    [
        # Computed from the article's figures, which the answer shows.
        (
            "what's the gap in hours between squid game and all of us are dead?",
            ["1.29 billion", "1.65 billion", "361 million", "from the article's figures"],
        ),
        (
            "roughly how many times more hours does squid game have than aouad?",
            ["4.6 times", "1.65 billion ÷ 361 million"],
        ),
        ("squid game and aouad together, how many hours is that?", ["2.01 billion"]),
        ("which has more hours, squid game or all of us are dead?", ["Squid Game has more"]),
        ("which show has fewer hours, aouad or squid game?", ["All of Us Are Dead has fewer"]),
        ("who's ranked higher, aouad or squid game?", ["Squid Game ranks higher", "fifth"]),
        ("how many places is squid game above all of us are dead?", ["4 places above"]),
        ("how far behind squid game is aouad?", ["4 places above", "fifth"]),
        ("how many hours does it have plus squid game", ["Together more than 2.01 billion"]),
        # Yes/no claims, settled by the values.
        ("is all of us are dead ranked above squid game?", ["No: Squid Game ranks higher"]),
        ("is squid game above lupin?", ["Yes: Squid Game ranks higher"]),
        ("are money heist and elite from the same country?", ["Yes", "Spanish"]),
        ("is lupin from the same country as money heist?", ["No", "French", "Spanish"]),
        ("which is the crime drama, money heist or lupin?", ["La Casa De Papel (Money Heist)."]),
        ("is this show a korean drama or from somewhere else?", ["Yes", "Korean"]),
        # Lists by property.
        ("which of the shows in the top ten come from spain?", ["Money Heist", "Elite"]),
        ("which dramas on the list are crime or mystery shows?", ["Money Heist", "Lupin"]),
        ("list every non-korean show on the list", ["Lupin", "does not say", "Squid Game"]),
        ("between spain and france, which country has more shows on the list?", ["Spain: 2"]),
        ("who are the people named in the article?", ["Lee Jae-kyoo", "Joo Dong-geun"]),
        # One of a kind after "every" is all of that kind.
        ("name every person mentioned in the article", ["Lee Jae-kyoo", "Joo Dong-geun"]),
    ],
)
def test_answers_from_the_values(engine: Engine, question: str, says: list[str]) -> None:
    answer = engine.answer(question)
    assert answer.answered, answer.text
    for text in says:
        assert text in answer.text
    assert answer.evidence  # every value shows the sentence it rests on


def test_a_value_the_article_lacks_is_declined_by_name(engine: Engine) -> None:
    answer = engine.answer("which got more hours, lupin or squid game?")
    assert not answer.answered
    assert "gives no hours for Lupin" in answer.text
    assert "1.65" in answer.text  # what it does give, instead of a guess


@pytest.mark.parametrize("part", ["season 4", "part 3", "season 5"])
def test_a_shows_part_is_the_show_for_its_values(engine: Engine, part: str) -> None:
    answer = engine.answer(f"which got more hours, money heist {part} or lupin?")
    assert not answer.answered
    assert "gives no hours for La Casa De Papel (Money Heist) or Lupin" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "what countries do the shows on the list come from?",
        "give me each show on the list with its country",
    ],
)
def test_every_listed_shows_value_names_the_ones_the_article_lacks(
    engine: Engine, question: str
) -> None:
    answer = engine.answer(question)
    assert answer.answered and answer.intent == "every_value_country"
    for said in ("Lupin: French", "Elite: Spanish", "All of Us Are Dead: Korean"):
        assert said in answer.text
    assert "gives no country for Squid Game" in answer.text
    assert answer.evidence
    hours = engine.answer("give me each show on the list with its hours").text
    assert "gives no hours for La Casa De Papel (Money Heist), Lupin or Elite." in hours


@pytest.mark.parametrize(
    "question",
    [
        "what's in second place on the non-english list?",  # a place, not every value
        "what country is the show on the list from?",  # one show
        "how does netflix work out the order of that list?",  # the rule
        "list every show in the top 10 with its hours",  # another list
        "list every show on the list with over 500 million hours",  # a filter by a figure
        "which show on the list has the highest hours",  # the one with most, not all
    ],
)
def test_only_a_list_of_one_attribute_asks_every_shows_value(engine: Engine, question: str) -> None:
    assert not (engine.answer(question).intent or "").startswith("every_value")


def test_a_statement_pointing_at_the_show_is_no_yes_no_question_about_it(
    engine: Engine,
) -> None:
    # "with it" names the show's neighbour on the chart: the question is "which one".
    answer = engine.answer("there's a show from france sharing the chart with it, which one?")
    assert answer.answered and "Lupin" in answer.text and not answer.text.startswith("No")


def test_the_most_watched_list_names_the_list_not_a_figure(engine: Engine) -> None:
    answer = engine.answer("which french show is on the non-english most-watched list?")
    assert answer.intent == "filter_country" and "Lupin" in answer.text
    # "the most hours on the list" asks a figure: no list of the Spanish shows.
    assert engine.answer("which spanish show has the most hours on the list").intent != (
        "filter_country"
    )


def test_everyone_named_is_the_people_the_article_names(engine: Engine) -> None:
    answer = engine.answer("name everyone connected to the show who gets mentioned by name")
    assert "Lee Jae-kyoo" in answer.text and "Joo Dong-geun" in answer.text


def test_each_show_of_a_kind_is_a_list_not_the_article_show(engine: Engine) -> None:
    # "its" is each listed show's, not All of Us Are Dead's: no yes/no about it.
    answer = engine.answer("give me each spanish show mentioned along with its genre")
    assert "All of Us Are Dead" not in answer.text or not answer.answered
    assert answer.intent != "has_country"


def test_a_missing_country_is_declined_by_name(engine: Engine) -> None:
    answer = engine.answer("are squid game and aouad from the same country?")
    assert not answer.answered
    assert "no country for Squid Game" in answer.text


def test_another_sentence_of_the_message_is_answered_too(engine: Engine) -> None:
    answer = engine.answer("who directed it? and which has more hours, squid game or aouad?")
    assert answer.answered
    assert "Lee Jae-kyoo" in answer.text
    assert "Squid Game has more hours" in answer.text


def test_the_table_holds_only_what_the_article_gives() -> None:
    table = AttributeTable(load_knowledge())
    squid, lupin = table.shows["squid_game"], table.shows["lupin"]
    assert squid.hours == Figure(1.65e9, "1.65 billion")
    assert squid.position == 1 and squid.country is None  # the article never says Korean
    assert lupin.hours is None and lupin.position is None and lupin.country == "French"
    aouad = table.shows["all_of_us_are_dead"]
    assert aouad.hours and aouad.hours.lower_bound  # "more than 361 million"
    assert any("K-drama" in s for s in aouad.evidence[Attribute.COUNTRY])


@pytest.mark.parametrize(
    ("text", "value", "lower_bound"),
    [("1.65 billion", 1.65e9, False), ("more than 361 million", 3.61e8, True), ("28", 28.0, False)],
)
def test_figures_parse_as_the_article_writes_them(
    text: str, value: float, lower_bound: bool
) -> None:
    figure = Figure.parse(text)
    assert figure is not None
    assert figure.value == pytest.approx(value)
    assert figure.lower_bound is lower_bound


def test_something_asked_of_one_show_that_several_fit_is_asked_back(engine: Engine) -> None:
    answer = engine.answer("whats the genre of the spanish one")
    assert not answer.answered
    assert answer.text == "Do you mean La Casa De Papel (Money Heist) or Elite?"
    # The reply names the one meant and gets the attribute asked.
    assert answer.context is not None
    assert engine.answer("money heist", answer.context).fact_ids == ["money_heist_genre"]
    # Asking which show it is lists every show that fits.
    which = engine.answer("which is the spanish one")
    assert which.answered and "Money Heist" in which.text and "Elite" in which.text


def test_a_show_described_by_its_place_is_answered_for_itself(engine: Engine) -> None:
    # Never the article's show's hours for "the top show".
    answer = engine.answer("how many hours did the top show get")
    assert answer.answered and "Squid Game" in answer.text and "1.65 billion" in answer.text
    assert "361" not in answer.text


def test_a_place_word_naming_the_list_describes_no_show(engine: Engine) -> None:
    # "the top non-english list" is the list: the question filters every show on it.
    answer = engine.answer("which shows on the top non-english list aren't spanish?")
    assert answer.answered and "Lupin" in answer.text and "Elite" not in answer.text


def test_clauses_asking_each_show_its_own_attribute_are_two_questions(engine: Engine) -> None:
    answer = engine.answer("which country is lupin from, and what's the genre of elite?")
    assert "French" in answer.text and "thriller" in answer.text
    # One attribute of two shows stays one operation, with both figures.
    both = engine.answer("how many hours did squid game and aouad get")
    assert "1.65 billion" in both.text and "361 million" in both.text


def test_how_much_above_in_a_later_clause_asks_the_difference(engine: Engine) -> None:
    answer = engine.answer(
        "how many hours does squid game have, and how much is that above aouad's total?"
    )
    assert answer.intent == "difference_hours" and "1.29 billion" in answer.text


def test_an_hour_count_is_the_hours(engine: Engine) -> None:
    answer = engine.answer(
        "between all of us are dead and squid game, which has the lower hour count?"
    )
    assert answer.intent == "compare_hours" and answer.text.startswith("All of Us Are Dead")


def test_more_of_a_figure_among_shows_of_a_kind_compares_the_figure(engine: Engine) -> None:
    # "spanish" says which shows; "more hours" what is compared, which the article lacks.
    answer = engine.answer("which french or spanish show got more hours, lupin or elite?")
    assert not answer.answered
    assert "gives no hours for Lupin" in answer.text


def test_a_judgment_between_shows_is_not_read_as_their_places(engine: Engine) -> None:
    # "better" judges; the article only says how the shows did.
    judged = engine.answer("is all of us are dead better than squid game?")
    assert not judged.answered, engine.explain("is all of us are dead better than squid game?")
    did = engine.answer("which did better, squid game or all of us are dead?")
    assert did.answered and did.text.startswith("Squid Game")
    # A doing word anywhere before it, not only right before it.
    way = engine.answer("which show did way better, squid game or all of us are dead?")
    assert way.intent == "compare_position" and way.text.startswith("Squid Game ranks higher")


def test_beside_two_named_shows_a_word_describing_the_show_is_what_is_asked(
    engine: Engine,
) -> None:
    answer = engine.answer("which one is the zombie show, elite or all of us are dead?")
    assert answer.text.startswith("All of Us Are Dead."), answer.text
    korean = engine.answer("which is the korean one, lupin or all of us are dead?")
    assert korean.text.startswith("All of Us Are Dead."), korean.text
