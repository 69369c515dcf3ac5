"""Make one database write fail mid-transaction, the way a connection lost at that moment does.

Inside `with failing_write("trivia_scores", nth=2) as fault:` the 2nd INSERT, UPDATE or
DELETE on `trivia_scores` raises `OperationalError` (what a dropped connection raises, so
the store turns it into `StoreUnavailableError`) instead of running; `fault.failed` says
whether that write happened. Every other statement runs for real, on SQLite or PostgreSQL
alike, so a test sees exactly what the database kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest.mock import patch

from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection


@dataclass
class Fault:
    """The writes seen on the table, and whether the one to fail came (and failed)."""

    writes: int = 0
    failed: bool = False


@contextmanager
def failing_write(table: str, *, nth: int = 1) -> Iterator[Fault]:
    """Fail the `nth` write to the table named `table` inside the block, once."""
    real = AsyncConnection.execute
    fault = Fault()

    async def execute(self: AsyncConnection, statement: Any, *args: Any, **kwargs: Any) -> Any:
        target = getattr(statement, "table", None)
        if getattr(statement, "is_dml", False) and getattr(target, "name", None) == table:
            fault.writes += 1
            if fault.writes == nth:
                fault.failed = True
                raise OperationalError(
                    str(statement), None, ConnectionResetError("connection lost (injected)")
                )
        return await real(self, statement, *args, **kwargs)

    with patch.object(AsyncConnection, "execute", execute):
        yield fault
