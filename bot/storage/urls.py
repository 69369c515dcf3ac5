"""Database URLs: the one place that knows which async driver serves which database."""

from __future__ import annotations

# Scheme rewrites to the async drivers the storage layer uses; keys are lower case.
_ASYNC_SCHEMES = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


def normalize_database_url(url: str) -> str:
    """Return `url` rewritten to the async driver (aiosqlite or asyncpg) for its database."""
    scheme, sep, rest = url.strip().partition("://")
    target = _ASYNC_SCHEMES.get(scheme.lower())
    if not sep or target is None:
        # Echo only the scheme: the rest of the URL may hold a password.
        shown = scheme if sep else "no scheme"
        raise ValueError(
            f"unsupported database URL ({shown}); use sqlite:///path/to/file.sqlite3 "
            "or postgresql://user:password@host/dbname"
        )
    return f"{target}://{rest}"
