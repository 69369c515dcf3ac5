"""Opening, closing, schema versions and what happens when the database is unreachable."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.settings import normalize_database_url
from bot.storage import SchemaVersionError, Store, StoreUnavailableError
from bot.storage import store as store_module
from bot.storage.schema import SCHEMA_VERSION, schema_version

DEAD_POSTGRES = "postgresql://trivia:hunter2secret@127.0.0.1:1/trivia"


async def _stored_version(url: str) -> int | None:
    engine = create_async_engine(normalize_database_url(url))
    try:
        async with engine.connect() as conn:
            return await conn.scalar(select(schema_version.c.version))
    finally:
        await engine.dispose()


async def _set_version(url: str, version: int) -> None:
    engine = create_async_engine(normalize_database_url(url))
    try:
        async with engine.begin() as conn:
            await conn.execute(schema_version.update().values(version=version))
    finally:
        await engine.dispose()


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


async def test_schema_version_is_recorded(db_url: str) -> None:
    async with Store.open(db_url):
        pass

    assert await _stored_version(db_url) == SCHEMA_VERSION


async def test_newer_schema_is_refused(db_url: str) -> None:
    async with Store.open(db_url):
        pass
    await _set_version(db_url, SCHEMA_VERSION + 1)

    with pytest.raises(SchemaVersionError, match="upgrade the bot"):
        await Store.open(db_url)


async def test_pending_migration_runs_once(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    async with Store.open(db_url):
        pass
    target = SCHEMA_VERSION + 1
    migration = ("ALTER TABLE guild_settings ADD COLUMN greeting VARCHAR(100)",)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", target)
    monkeypatch.setattr(store_module, "_MIGRATIONS", {target: migration})

    async with Store.open(db_url):
        pass
    async with Store.open(db_url):  # already at `target`: must not add the column again
        pass

    assert await _stored_version(db_url) == target
    engine = create_async_engine(normalize_database_url(db_url))
    try:
        async with engine.connect() as conn:
            columns = await conn.run_sync(
                lambda sync: {c["name"] for c in inspect(sync).get_columns("guild_settings")}
            )
    finally:
        await engine.dispose()
    assert "greeting" in columns


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


async def test_a_version_1_database_gets_the_trivia_v2_columns(db_url: str) -> None:
    await (await Store.open(db_url)).close()
    engine = create_async_engine(normalize_database_url(db_url))
    try:
        async with engine.begin() as conn:
            for column in ("game_id", "question_message_id"):
                await conn.execute(text(f"ALTER TABLE quiz_games DROP COLUMN {column}"))
            for column in ("trivia_spoilers", "trivia_hints"):
                await conn.execute(text(f"ALTER TABLE guild_settings DROP COLUMN {column}"))
            await conn.execute(schema_version.update().values(version=1))
    finally:
        await engine.dispose()

    async with Store.open(db_url) as store:
        await store.save_quiz_game(1, 2, 3, {"round": 1}, game_id="0a1b2c3d")
        await store.set_quiz_question_message(2, 4)
        (game,) = await store.running_quiz_games()
        settings = await store.update_guild_settings(1, trivia_spoilers=True, trivia_hints=False)

    assert (game.game_id, game.question_message_id) == ("0a1b2c3d", 4)
    assert settings.trivia_spoilers and not settings.trivia_hints
    assert await _stored_version(db_url) == SCHEMA_VERSION
