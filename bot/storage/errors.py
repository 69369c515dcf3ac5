"""Errors the store raises; every message is one line fit to show a user or an operator."""

from __future__ import annotations


class StoreError(Exception):
    """Base class for storage errors."""


class StoreUnavailableError(StoreError):
    """The database cannot be reached, at open time or during an operation."""


class SchemaVersionError(StoreError):
    """The database was written by a newer version of the bot than this one."""


class InvalidSettingError(StoreError, ValueError):
    """A guild setting change was rejected; nothing was written."""
