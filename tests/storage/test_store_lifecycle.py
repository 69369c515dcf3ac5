"""Opening, closing and what happens when the database is unreachable (schema upgrades:
test_migrations.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.storage import Store, StoreUnavailableError, normalize_database_url
from bot.storage.migrate import upgrade_database

DEAD_POSTGRES = "postgresql://trivia:hunter2secret@127.0.0.1:1/trivia"


async def test_await_form_and_close(db_url: str) -> None:
    store = await Store.open(db_url)
    assert store.backend in {"sqlite", "postgresql"}
    await store.update_guild_settings(1, mode="off")
    await store.close()
    await store.close()  # closing twice is harmless

    with pytest.raises(RuntimeError, match="closed"):
        await store.get_guild_settings(1)


async def test_store_is_its_own_context_manager(db_url: str) -> None:
    async with await Store.open(db_url) as store:
        assert (await store.get_guild_settings(1)).mode == "mention"

    with pytest.raises(RuntimeError):
        await store.get_guild_settings(1)


async def test_plain_sqlite_url_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "bot.sqlite3"

    async with Store.open(f"sqlite:///{path}") as store:
        await store.update_guild_settings(1, mode="off")

    assert path.is_file()


async def test_unreachable_postgres_is_one_clear_error() -> None:
    with pytest.raises(StoreUnavailableError) as excinfo:
        await Store.open(DEAD_POSTGRES, connect_timeout=5)

    message = str(excinfo.value)
    assert message.startswith("database unavailable (PostgreSQL 127.0.0.1:1/trivia)")
    assert "\n" not in message
    assert "hunter2secret" not in message


async def test_sqlite_folder_that_cannot_be_made_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")

    with pytest.raises(StoreUnavailableError, match="database unavailable"):
        await Store.open(f"sqlite+aiosqlite:///{blocker / 'bot.sqlite3'}")


async def test_outage_during_an_operation_is_one_clear_error(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Swap in an engine whose server is gone, as after a database restart or network cut.
    dead = create_async_engine(normalize_database_url(DEAD_POSTGRES), connect_args={"timeout": 5})
    monkeypatch.setattr(store, "_engine", dead)
    try:
        with pytest.raises(StoreUnavailableError) as excinfo:
            await store.get_guild_settings(1)
    finally:
        await dead.dispose()

    assert "\n" not in str(excinfo.value)
    assert "hunter2secret" not in str(excinfo.value)


def test_unsupported_url_is_rejected() -> None:
    with pytest.raises(ValueError, match="unsupported database URL"):
        Store.open("mysql://user:pw@host/db")


async def test_a_revision_0001_database_gets_the_trivia_v2_columns(db_url: str) -> None:
    # A database of the first alembic revision, with a saved game in it.
    url = normalize_database_url(db_url)
    if url.startswith("sqlite"):
        Path(url.split(":///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url)
    try:
        assert await upgrade_database(engine, target="0001") == (None, "0001")
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO quiz_games (channel_id, guild_id, started_by, state, updated_at)"
                    " VALUES (2, 1, 3, '{}', CURRENT_TIMESTAMP)"
                )
            )
    finally:
        await engine.dispose()

    async with Store.open(db_url) as store:  # upgrades to the newest revision
        await store.save_quiz_game(1, 2, 3, {"round": 1}, game_id="0a1b2c3d")
        await store.set_quiz_question_message(2, 4)
        (game,) = await store.running_quiz_games()
        settings = await store.update_guild_settings(1, trivia_spoilers=True, trivia_hints=False)

    assert (game.game_id, game.question_message_id) == ("0a1b2c3d", 4)
    assert settings.trivia_spoilers and not settings.trivia_hints
