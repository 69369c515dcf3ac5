"""Miss reports: hashing, one report per user per message, listing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from bot.storage import MissReport, Store, hash_user

SALT = "test-salt"
GUILD = 111_111_111_111_111_111
USER = 444_444_444_444_444_444
START = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def make_report(
    message_id: int = 1,
    user_id: int = USER,
    guild_id: int | None = GUILD,
    created_at: datetime = START,
) -> MissReport:
    return MissReport(
        question="who plays Nam On-jo?",
        answer="Park Ji-hoo plays Nam On-jo.",
        intent="cast.actor_of",
        confidence=0.82,
        answered=True,
        guild_id=guild_id,
        message_id=message_id,
        user_hash=hash_user(user_id, SALT),
        created_at=created_at,
    )


def test_hash_user_is_salted_and_stable() -> None:
    digest = hash_user(USER, SALT)

    assert digest == hash_user(USER, SALT)
    assert digest != hash_user(USER, "other-salt")
    assert digest != hash_user(USER + 1, SALT)
    assert len(digest) == 64
    assert str(USER) not in digest


def test_hash_user_needs_a_salt() -> None:
    with pytest.raises(ValueError, match="salt"):
        hash_user(USER, "")


def test_report_refuses_a_raw_user_id() -> None:
    with pytest.raises(ValidationError):
        MissReport.model_validate({**make_report().model_dump(), "user_hash": str(USER)})


async def test_report_round_trips(store: Store) -> None:
    report = make_report()

    assert await store.add_report(report) is True

    (stored,) = await store.all_reports()
    assert stored == report
    assert stored.created_at.tzinfo is not None
    assert stored.created_at.utcoffset() == timedelta(0)


async def test_second_report_by_same_user_is_refused(store: Store) -> None:
    first = make_report()
    again = first.model_copy(update={"question": "changed", "created_at": START + timedelta(1)})

    assert await store.add_report(first) is True
    assert await store.add_report(again) is False

    assert await store.all_reports() == [first]


async def test_other_users_and_messages_can_report(store: Store) -> None:
    assert await store.add_report(make_report(message_id=1, user_id=USER))
    assert await store.add_report(make_report(message_id=1, user_id=USER + 1))
    assert await store.add_report(make_report(message_id=2, user_id=USER))

    assert len(await store.all_reports()) == 3


async def test_list_reports_newest_first_with_filter_and_limit(store: Store) -> None:
    for n in range(5):
        await store.add_report(make_report(message_id=n + 1, created_at=START + timedelta(n)))
    dm = make_report(message_id=99, guild_id=None, created_at=START + timedelta(10))
    await store.add_report(dm)

    everywhere = await store.list_reports()
    in_guild = await store.list_reports(guild_id=GUILD, limit=2)
    oldest_first = await store.all_reports()

    assert [r.message_id for r in everywhere] == [99, 5, 4, 3, 2, 1]
    assert everywhere[0].guild_id is None
    assert [r.message_id for r in in_guild] == [5, 4]
    assert [r.message_id for r in oldest_first] == [1, 2, 3, 4, 5, 99]


async def test_list_reports_rejects_bad_limit(store: Store) -> None:
    with pytest.raises(ValueError, match="limit"):
        await store.list_reports(limit=0)


def test_created_at_defaults_to_now_in_utc() -> None:
    report = MissReport(
        question="q",
        answer="a",
        confidence=0.0,
        answered=False,
        message_id=1,
        user_hash=hash_user(USER, SALT),
    )

    assert report.created_at.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - report.created_at) < timedelta(minutes=1)


async def test_secret_is_made_once_and_kept(store: Store, db_url: str) -> None:
    first = await store.get_or_create_secret("report_salt")
    again = await store.get_or_create_secret("report_salt")
    other = await store.get_or_create_secret("something_else")

    assert first == again
    assert len(first) == 64
    assert other != first
    await store.close()
    async with Store.open(db_url) as reopened:
        assert await reopened.get_or_create_secret("report_salt") == first
