"""Schema migrations (alembic), on SQLite and PostgreSQL: from an empty database, from a
populated database of the last release before alembic, and a second revision applied to
a populated database; a newer database is refused; processes starting together on one
PostgreSQL migrate once."""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.storage import SchemaVersionError, Store, normalize_database_url
from bot.storage.migrate import (
    MIGRATIONS,
    head_revision,
    include_name,
    revisions,
    upgrade_database,
)
from bot.storage.schema import metadata
from tests.postgres import postgres_url, wipe
from tests.storage import legacy_release

ROOT = Path(__file__).resolve().parents[2]
GUARD = 1000  # what revision 0001 leaves in the old releases' schema_version


async def on(url: str, query: str, *args: Any) -> list[tuple[Any, ...]]:
    """Return the rows of `query` at `url`."""
    engine = create_async_engine(normalize_database_url(url))
    try:
        async with engine.begin() as conn:
            result = await conn.execute(text(query), *args)
            return [tuple(row) for row in result.all()] if result.returns_rows else []
    finally:
        await engine.dispose()


async def tables(url: str) -> set[str]:
    engine = create_async_engine(normalize_database_url(url))
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


async def revision_at(url: str) -> str | None:
    rows = await on(url, "SELECT version_num FROM alembic_version")
    return rows[0][0] if rows else None


# -- from an empty database -------------------------------------------------------------


async def test_an_empty_database_is_brought_to_the_newest_revision(db_url: str) -> None:
    async with Store.open(db_url):
        pass

    assert await revision_at(db_url) == head_revision()
    assert await tables(db_url) == {*metadata.tables, "alembic_version", "schema_version"}
    assert await on(db_url, "SELECT id, version FROM schema_version") == [(1, GUARD)]


async def test_the_revisions_build_exactly_the_tables_of_schema_py(db_url: str) -> None:
    async with Store.open(db_url):
        pass

    def differences(sync: Connection) -> list[Any]:
        context = MigrationContext.configure(
            sync, opts={"compare_type": True, "include_name": include_name}
        )
        return list(compare_metadata(context, metadata))

    engine = create_async_engine(normalize_database_url(db_url))
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(differences)
    finally:
        await engine.dispose()
    assert diff == [], "schema.py changed without a revision (bot/storage/migrations)"


async def test_opening_again_changes_nothing(db_url: str) -> None:
    async with Store.open(db_url) as store:
        await store.update_guild_settings(5, mode="off")
    async with Store.open(db_url) as store:
        assert (await store.get_guild_settings(5)).mode == "off"
    assert await revision_at(db_url) == head_revision()


# -- from the last release before alembic ------------------------------------------------


async def test_a_database_of_the_last_release_keeps_every_row(db_url: str) -> None:
    await legacy_release.make_release_database(db_url)
    before = await legacy_release.snapshot(db_url)
    assert all(before[name] for name in legacy_release.DATA_TABLES)

    async with Store.open(db_url) as store:
        settings = await store.get_guild_settings(1001)
        board = await store.leaderboard(1001)
        reports = await store.list_reports()
        games = await store.running_quiz_games()
        salt = await store.get_or_create_secret("report_salt")

    assert await legacy_release.snapshot(db_url) == before
    assert await revision_at(db_url) == head_revision()
    assert await on(db_url, "SELECT id, version FROM schema_version") == [(1, GUARD)]
    # And the bot reads them as before.
    assert (settings.mode, settings.channels) == ("channels", frozenset({2001, 2002}))
    assert (settings.cooldown_seconds, settings.trivia_round_seconds) == (30.0, 45)
    assert [(e.user_id, e.points) for e in board] == [(4001, 1250), (4002, 300)]
    assert [r.question for r in reports] == ["who plays the principal?"]
    assert [(g.channel_id, g.state["round"]) for g in games] == [(2001, 3)]
    assert salt == "release-salt-0123456789abcdef"


async def test_tables_an_older_release_lacked_are_added(db_url: str) -> None:
    await legacy_release.make_release_database(db_url, without=["quiz_games", "bot_secrets"])
    kept = ["guild_settings", "guild_channels", "miss_reports", "trivia_scores"]
    before = await legacy_release.snapshot(db_url, kept)

    async with Store.open(db_url) as store:
        await store.save_quiz_game(1001, 2003, 4001, {"round": 1})

    assert await legacy_release.snapshot(db_url, kept) == before
    assert {"quiz_games", "bot_secrets"} <= await tables(db_url)


async def test_a_newer_release_database_without_alembic_is_refused(db_url: str) -> None:
    await legacy_release.make_release_database(db_url, version=2)

    with pytest.raises(SchemaVersionError, match=r"schema version 2 .* upgrade the bot"):
        await Store.open(db_url)
    assert "alembic_version" not in await tables(db_url)
    assert await on(db_url, "SELECT version FROM schema_version") == [(2,)]


# -- newer than this bot -----------------------------------------------------------------


async def test_a_database_upgraded_by_a_newer_bot_is_refused_untouched(db_url: str) -> None:
    async with Store.open(db_url):
        pass
    await on(db_url, "UPDATE alembic_version SET version_num = '9999'")

    with pytest.raises(SchemaVersionError) as excinfo:
        await Store.open(db_url)
    assert str(excinfo.value) == (
        f"the database is at schema revision 9999, newer than this bot knows "
        f"(up to {head_revision()}); upgrade the bot"
    )
    assert await revision_at(db_url) == "9999"


# -- a second revision on a populated database ------------------------------------------

SECOND_REVISION = '''"""Add a greeting to each server's settings, "hello" where none was chosen."""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("guild_settings") as batch:
        batch.add_column(
            sa.Column("greeting", sa.String(100), nullable=False, server_default="hello")
        )


def downgrade() -> None:
    with op.batch_alter_table("guild_settings") as batch:
        batch.drop_column("greeting")
'''


def with_second_revision(folder: Path) -> tuple[Path, str]:
    """Copy the bot's revisions to `folder` with one more after the newest; return both."""
    migrations = Path(shutil.copytree(MIGRATIONS, folder / "migrations"))
    head = head_revision()
    second = f"{int(head) + 1:04d}"
    source = SECOND_REVISION.format(revision=second, down=head)
    (migrations / "versions" / f"r{second}_add_greeting.py").write_text(source, "utf-8")
    return migrations, second


async def upgrade_with(url: str, migrations: Path) -> tuple[str | None, str | None]:
    engine: AsyncEngine = create_async_engine(normalize_database_url(url))
    try:
        return await upgrade_database(engine, migrations=migrations)
    finally:
        await engine.dispose()


async def test_a_second_revision_adds_a_column_with_its_default_to_every_row(
    db_url: str, tmp_path: Path
) -> None:
    await legacy_release.make_release_database(db_url)
    async with Store.open(db_url) as store:  # the release's rows, now at the newest revision
        await store.update_guild_settings(1003, mode="off")
    before = await legacy_release.snapshot(db_url)
    migrations, second = with_second_revision(tmp_path)

    assert await upgrade_with(db_url, migrations) == (head_revision(), second)
    assert await upgrade_with(db_url, migrations) == (second, second)  # nothing left to do

    assert await legacy_release.snapshot(db_url) == before
    greetings = await on(db_url, "SELECT guild_id, greeting FROM guild_settings ORDER BY 1")
    assert greetings == [(1001, "hello"), (1002, "hello"), (1003, "hello")]
    assert await revision_at(db_url) == second
    # This bot does not know that revision: the database is a newer bot's now.
    with pytest.raises(SchemaVersionError, match="upgrade the bot"):
        await Store.open(db_url)


def test_history_lists_the_revisions_oldest_first() -> None:
    listed = revisions()
    assert listed[0].id == "0001" and listed[0].down is None
    assert listed[-1].id == head_revision()
    assert all(later.down == earlier.id for earlier, later in itertools.pairwise(listed))


# -- processes starting together ---------------------------------------------------------


async def test_processes_starting_together_on_postgresql_migrate_once() -> None:
    # PostgreSQL only: a SQLite database belongs to one process.
    db_url = await postgres_url()
    await wipe(db_url)
    env = {**os.environ, "DATABASE_URL": db_url, "LOG_LEVEL": "WARNING"}
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "db",
            "upgrade",
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(3)
    ]
    results = [await process.communicate() for process in processes]

    assert [process.returncode for process in processes] == [0, 0, 0], results
    said = sorted(out.decode().strip() for out, _ in results)
    head = head_revision()
    assert said == [
        f"database already at revision {head}: nothing to do",
        f"database already at revision {head}: nothing to do",
        f"database upgraded from revision (none) to {head}",
    ]
