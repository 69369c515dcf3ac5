"""Upgrading the database schema with alembic, once, however many processes start at once.

The revisions are in `bot/storage/migrations/versions/` (how to add one: the docstring of
`bot/storage/migrations`). Every `Store.open` brings the database to the newest revision
this bot knows, and `python -m bot db upgrade` does the same by hand.

- All of it runs in one transaction on the bot's own async engine, through `run_sync`.
  On PostgreSQL that transaction first takes an advisory lock, so when several shard
  processes start together one migrates while the others wait, then find nothing to do.
  A SQLite database belongs to one process.
- A database at a revision this bot does not know was upgraded by a newer bot: it is
  refused (`SchemaVersionError`), never touched.
- A database of the releases before alembic has no `alembic_version` table but a
  `schema_version` row; revision 0001 is that release's schema, so upgrading it from
  scratch creates only the tables it lacks and keeps every row (a `schema_version`
  newer than that release's is refused, as that release would have).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.errors import SchemaVersionError

log = logging.getLogger(__name__)
# Alembic says at INFO which database implementation it picked, several times a start;
# the upgrade itself is logged here, once.
logging.getLogger("alembic").setLevel(logging.WARNING)

T = TypeVar("T")

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Key of the PostgreSQL advisory lock held while migrating: a fixed number ("trivia" and
# 1 in hex) that nothing else locking advisory locks on the same database uses.
MIGRATION_LOCK_KEY = 0x7472_6976_6961_0001
# The schema version the releases before alembic wrote in `schema_version`.
LEGACY_VERSION = 1


@dataclass(frozen=True)
class Revision:
    """One revision of the schema, as `python -m bot db history` lists it."""

    id: str
    down: str | None
    message: str


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave the old releases' version table out of comparisons: no model describes it."""
    return not (type_ == "table" and name == "schema_version")


def alembic_config(connection: Connection | None = None, migrations: Path = MIGRATIONS) -> Config:
    """Return alembic's configuration for `migrations`, to run on `connection`."""
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.attributes["connection"] = connection
    return config


def revisions(migrations: Path = MIGRATIONS) -> list[Revision]:
    """Return every revision in `migrations`, oldest first."""
    scripts = ScriptDirectory.from_config(alembic_config(migrations=migrations))
    found = [
        Revision(script.revision, _down(script.down_revision), (script.doc or "").strip())
        for script in scripts.walk_revisions()
    ]
    return found[::-1]


def _down(value: str | tuple[str, ...] | list[str] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return ",".join(value)


def head_revision(migrations: Path = MIGRATIONS) -> str:
    """Return the newest revision in `migrations`."""
    head = ScriptDirectory.from_config(alembic_config(migrations=migrations)).get_current_head()
    if head is None:  # pragma: no cover - the package always holds revision 0001
        raise RuntimeError(f"no schema revision in {migrations}")
    return head


def current_on(connection: Connection) -> str | None:
    """Return the revision recorded in the database (None: not under alembic yet)."""
    return MigrationContext.configure(connection).get_current_revision()


def _refuse_newer(connection: Connection, migrations: Path) -> None:
    """Raise SchemaVersionError if a newer bot than this one upgraded the database."""
    current = current_on(connection)
    head = head_revision(migrations)
    if current is None:
        _refuse_newer_legacy(connection, head)
        return
    scripts = ScriptDirectory.from_config(alembic_config(migrations=migrations))
    try:
        known = scripts.get_revision(current) is not None
    except CommandError:
        known = False
    if not known:
        raise SchemaVersionError(
            f"the database is at schema revision {current}, newer than this bot knows "
            f"(up to {head}); upgrade the bot"
        )


def _refuse_newer_legacy(connection: Connection, head: str) -> None:
    """Check the version row of a database made before alembic, if it is one."""
    if not inspect(connection).has_table("schema_version"):
        return
    version = connection.scalar(text("SELECT version FROM schema_version WHERE id = 1"))
    if version is not None and version > LEGACY_VERSION:
        raise SchemaVersionError(
            f"the database has schema version {version} but this bot only knows up to "
            f"{LEGACY_VERSION} (revision {head}); upgrade the bot"
        )
    log.info("database of a release before alembic (schema version %s): adopting it", version)


def upgrade_on(
    connection: Connection, target: str = "head", migrations: Path = MIGRATIONS
) -> tuple[str | None, str | None]:
    """Upgrade the database on `connection` to `target`; return the revisions before and after.

    Run it in a transaction that holds the migration lock (`run_locked`).
    """
    _refuse_newer(connection, migrations)
    before = current_on(connection)
    command.upgrade(alembic_config(connection, migrations), target)
    after = current_on(connection)
    if after != before:
        log.info("database schema upgraded from revision %s to %s", before or "(none)", after)
    return before, after


async def run_locked(engine: AsyncEngine, work: Callable[[Connection], T]) -> T:
    """Run `work` on a connection of `engine`, in one transaction holding the migration lock.

    The lock is PostgreSQL's transaction advisory lock, released when the transaction ends
    (committed, or rolled back by an error). SQLite needs none: one process uses it.
    """
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        return await conn.run_sync(work)


async def upgrade_database(
    engine: AsyncEngine, target: str = "head", migrations: Path = MIGRATIONS
) -> tuple[str | None, str | None]:
    """Upgrade the database of `engine` to `target`, once among processes starting together.

    Returns the revisions before and after. Raises SchemaVersionError for a database that
    a newer bot upgraded.
    """
    return await run_locked(engine, partial(upgrade_on, target=target, migrations=migrations))


async def current_revision(engine: AsyncEngine) -> str | None:
    """Return the revision the database of `engine` is at (None: not under alembic)."""
    async with engine.connect() as conn:
        return await conn.run_sync(current_on)
