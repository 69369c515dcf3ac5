"""What a conversation was last about: the value an answer leaves for a follow-up to use."""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine.attributes import Attribute

# An operation's answer ("compare_hours") asked about one new name is that attribute's
# question, and a question about one show's attribute is a figure to compare.
ATTRIBUTE_INTENTS = {
    Attribute.HOURS.value: "hours",
    Attribute.POSITION.value: "rank",
    Attribute.COUNTRY.value: "origin",
    Attribute.GENRE.value: "genre",
}


@dataclass(frozen=True)
class Conversation:
    """What a conversation was last about: the names the last question said itself (or the
    one its context gave it), the names its answer gave, and what was asked."""

    named: tuple[str, ...] = ()
    answered: tuple[str, ...] = ()
    intent: str | None = None
    # Topics the last question asked about that "it" may mean ("season 2"), with weights.
    topics: tuple[tuple[str, float], ...] = ()
    # The names the exchange before the last one talked about: "his" after "who directed
    # it?" and "and who wrote the comic?" may mean either man.
    earlier: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Return whether there is nothing to resolve a follow-up against."""
        return not self.named and not self.answered and self.intent is None

    @property
    def attribute(self) -> Attribute | None:
        """Return the shows' attribute the last question asked, if it asked one."""
        if self.intent is None:
            return None
        for attribute, intent in ATTRIBUTE_INTENTS.items():
            if self.intent == intent or self.intent.endswith(f"_{attribute}"):
                return Attribute(attribute)
        return None


def either(names: list[str]) -> str:
    """Return `names` said as alternatives: "A", "A or B", "A, B or C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def which_one(names: list[str]) -> str:
    """Return the short question back when something could mean any of `names`."""
    return f"Do you mean {either(names)}?"
