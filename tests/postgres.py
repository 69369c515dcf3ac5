"""The PostgreSQL server the tests may use: TEST_POSTGRES_URL, checked once, wiped on demand.

Without TEST_POSTGRES_URL, or with one no server answers at, PostgreSQL tests are skipped
with a reason saying which and how to get a server (`.ci/postgres.sh start`). CI sets
TEST_POSTGRES_REQUIRED=1, which turns those skips into failures: a CI run can't pass while
silently testing SQLite only.

The tests drop every table of that database; never point TEST_POSTGRES_URL elsewhere.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.storage import normalize_database_url
from bot.storage.schema import metadata
from tests.e2e.tcp_proxy import TcpProxy

HOW_TO_START = 'export TEST_POSTGRES_URL="$(.ci/postgres.sh start)"'
UNSET_REASON = f"PostgreSQL tests need a server: TEST_POSTGRES_URL is not set ({HOW_TO_START})"

# URL -> why it cannot be used ("" when it can), so a dead server costs one timeout.
_checked: dict[str, str] = {}
# The connect timeout of that one check. Only a server that never answers waits it out (a
# stopped one refuses at once), and the answer holds for the whole run: with
# TEST_POSTGRES_REQUIRED=1 one slow connect on a busy machine would fail every PostgreSQL
# test, so it is generous.
CHECK_TIMEOUT = 15


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("TEST_POSTGRES_REQUIRED") == "1":
        pytest.fail(f"{reason} (TEST_POSTGRES_REQUIRED=1)")
    pytest.skip(reason)


def where(url: str) -> str:
    """Return host:port/database of `url`, without the password."""
    parsed = make_url(normalize_database_url(url))
    return f"{parsed.host}:{parsed.port or 5432}/{parsed.database}"


async def _problem(url: str) -> str:
    """Return why no server answers at `url`, or "" if one does."""
    engine = create_async_engine(
        normalize_database_url(url), connect_args={"timeout": CHECK_TIMEOUT}
    )
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means "not usable here"
        return str(exc).strip().splitlines()[-1][:200] or type(exc).__name__
    finally:
        await engine.dispose()
    return ""


async def postgres_url() -> str:
    """Return TEST_POSTGRES_URL once a server answers there; skip (or fail in CI) if not."""
    url = os.environ.get("TEST_POSTGRES_URL", "").strip()
    if not url:
        _skip_or_fail(UNSET_REASON)
    if url not in _checked:
        _checked[url] = await _problem(url)
    if _checked[url]:
        _skip_or_fail(
            f"PostgreSQL tests skipped: no server answers at TEST_POSTGRES_URL ({where(url)}): "
            f"{_checked[url]}"
        )
    return url


# Tables the store's metadata does not describe: alembic's revision and the guard row for
# the releases before alembic.
_VERSION_TABLES = ("alembic_version", "schema_version")


async def wipe(url: str) -> None:
    """Drop the store's tables at `url`, so a test starts from an empty database."""
    engine = create_async_engine(normalize_database_url(url))
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.drop_all)
            for table in _VERSION_TABLES:
                await conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
    finally:
        await engine.dispose()


async def terminate(url: str, application_name: str) -> int:
    """End every connection to `url` named `application_name`; return how many ended.

    As a database restart or failover would end them: what held them must reconnect.
    """
    query = text(
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE application_name = :name AND pid <> pg_backend_pid()"
    )
    engine = create_async_engine(normalize_database_url(url))
    try:
        async with engine.begin() as conn:
            return int(await conn.scalar(query, {"name": application_name}) or 0)
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def postgres_behind_proxy() -> AsyncIterator[tuple[str, TcpProxy]]:
    """Yield a URL to the wiped test server through a TCP proxy, and the proxy to stall.

    Skipped (or failed, in CI) like `postgres_url` when there is no server.
    """
    url = await postgres_url()
    await wipe(url)
    real = make_url(normalize_database_url(url))
    proxy = TcpProxy(real.host or "127.0.0.1", real.port or 5432)
    try:
        through = real.set(host="127.0.0.1", port=proxy.port)
        yield through.render_as_string(hide_password=False), proxy
    finally:
        proxy.close()
