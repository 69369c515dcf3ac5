"""The free-text cooldown: per person, per guild, with the guild's period."""

from __future__ import annotations

from bot.discord_ui.cooldown import FreeTextCooldown


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_limits_one_person_in_one_guild() -> None:
    clock = Clock()
    cooldown = FreeTextCooldown(clock)

    assert cooldown.retry_after(1, 10, 30.0) == 0.0
    cooldown.record(1, 10)
    clock.now = 12.0

    assert cooldown.retry_after(1, 10, 30.0) == 18.0
    assert cooldown.retry_after(1, 11, 30.0) == 0.0  # another person
    assert cooldown.retry_after(2, 10, 30.0) == 0.0  # another guild
    assert cooldown.retry_after(None, 10, 30.0) == 0.0  # DMs


def test_the_period_is_read_on_each_call() -> None:
    clock = Clock()
    cooldown = FreeTextCooldown(clock)
    cooldown.record(1, 10)
    clock.now = 5.0

    assert cooldown.retry_after(1, 10, 10.0) == 5.0
    assert cooldown.retry_after(1, 10, 3.0) == 0.0  # an admin shortened it
    assert cooldown.retry_after(1, 10, 0.0) == 0.0  # or turned it off


def test_old_entries_are_forgotten() -> None:
    clock = Clock()
    cooldown = FreeTextCooldown(clock)
    for user in range(999):
        cooldown.record(1, user)
    clock.now = 4000.0

    cooldown.record(1, 5000)

    assert len(cooldown) == 1


def test_an_answer_that_was_not_sent_is_taken_back() -> None:
    clock = Clock()
    cooldown = FreeTextCooldown(clock)
    noted = cooldown.record(1, 10)
    clock.now = 1.0

    cooldown.release(1, 10, noted)

    assert cooldown.retry_after(1, 10, 30.0) == 0.0


def test_taking_back_leaves_a_later_answer_alone() -> None:
    clock = Clock()
    cooldown = FreeTextCooldown(clock)
    first = cooldown.record(1, 10)
    clock.now = 2.0
    cooldown.record(1, 10)  # answered again meanwhile (after an admin shortened it)
    clock.now = 3.0

    cooldown.release(1, 10, first)

    assert cooldown.retry_after(1, 10, 30.0) == 29.0
