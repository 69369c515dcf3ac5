"""Alembic's environment: runs the revisions of versions/ on the connection it is given.

`bot.storage.migrate` opens the connection (the bot's own async engine, through
`run_sync`), takes the migration lock and passes the connection in
`config.attributes["connection"]`; everything then runs in that one transaction. Run by
the `alembic` command instead (alembic.ini, to draft a revision with --autogenerate), it
connects to DATABASE_URL the same way.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from bot.storage.migrate import include_name
from bot.storage.schema import metadata


def run_on(connection: Connection) -> None:
    """Run the pending revisions on `connection`, in its transaction."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite alters most things only by copying the table: autogenerate drafts
        # batch_alter_table blocks, which do that on SQLite and plain ALTERs elsewhere.
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_settings() -> None:
    """Run the revisions on DATABASE_URL, holding the migration lock like the bot."""
    from sqlalchemy.ext.asyncio import create_async_engine

    from bot.settings import load_settings
    from bot.storage.migrate import run_locked

    engine = create_async_engine(load_settings().database_url)
    try:
        await run_locked(engine, run_on)
    finally:
        await engine.dispose()


connection = context.config.attributes.get("connection")
if isinstance(connection, Connection):
    run_on(connection)
else:
    asyncio.run(_run_from_settings())
