"""`build_bot`: one connection, or an auto-sharded bot over exactly the shards it is given."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from discord.ext import commands

from bot.bot import BotResources, build_bot
from bot.metrics import Metrics


def resources(metrics: Metrics | None = None) -> BotResources:
    return BotResources(
        knowledge=MagicMock(),
        engine=MagicMock(),
        store=MagicMock(),
        report_salt="s" * 16,
        metrics=metrics or Metrics(),
    )


async def test_without_shards_it_is_one_connection() -> None:
    async with build_bot(resources(), message_content=True) as bot:
        assert not isinstance(bot, commands.AutoShardedBot)
        assert bot.shards_description() == "none"


@pytest.mark.parametrize(
    ("shard_ids", "expected_ids", "described"),
    [((2, 3), [2, 3], "2,3 of 4"), (None, None, "0,1,2,3 of 4")],
)
async def test_shards_run_as_an_auto_sharded_bot(
    shard_ids: tuple[int, ...] | None, expected_ids: list[int] | None, described: str
) -> None:
    async with build_bot(
        resources(), message_content=True, shard_count=4, shard_ids=shard_ids
    ) as bot:
        assert isinstance(bot, commands.AutoShardedBot)
        assert bot.shard_count == 4
        assert bot.shard_ids == expected_ids  # None: discord.py runs all of them
        assert bot.shards_description() == described


async def test_the_bot_counts_into_the_metrics_it_is_given() -> None:
    metrics = Metrics()
    async with build_bot(resources(metrics), message_content=True) as bot:
        bot.engine.answer.return_value = MagicMock(answered=True, intent="director", confidence=90)

        bot.answer_question("who directed it?", source="slash", guild_id=None)

    assert bot.metrics is metrics
    assert b'trivia_questions_total{outcome="answered",source="slash"} 1.0' in metrics.exposition()
