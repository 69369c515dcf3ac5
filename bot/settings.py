"""Runtime settings read from the environment and an optional `.env` file.

Nothing is read at import time: call `load_settings()` where the settings are needed.
The Discord token is optional here so that CLI commands that never talk to Discord work
without it; the bot itself calls `Settings.require_token()`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.conversations import CONVERSATION_SECONDS

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/bot.sqlite3"
DEFAULT_API_BASE = "https://discord.com/api/v10"
DEVELOPER_PORTAL_URL = "https://discord.com/developers/applications"

LogLevel = Literal["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"]


class SettingsError(ValueError):
    """A setting is missing or invalid; the message is one line naming the variable."""


class MissingTokenError(SettingsError):
    """DISCORD_TOKEN is not set but the bot needs it to log in."""


def _parse_int_list(value: object) -> object:
    """Turn "0, 1" (or "[0,1]") into [0, 1]; leave other input for pydantic to judge."""
    if not isinstance(value, str):
        return value
    parts = [p.strip() for p in value.strip().strip("[]").split(",")]
    parts = [p for p in parts if p]
    if not parts:
        return None
    try:
        return [int(p) for p in parts]
    except ValueError:
        # The value is not echoed, as for every other setting (see hide_input_in_errors).
        raise ValueError("must be comma separated shard numbers like 0,1") from None


class Settings(BaseSettings):
    """Everything the bot reads from its environment; see the module docstring."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        # `FOO=` in .env means "not set", not "set to the empty string".
        env_ignore_empty=True,
        # Never echo input values (the token above all) in validation errors.
        hide_input_in_errors=True,
    )

    discord_token: SecretStr | None = None
    # repr=False: a PostgreSQL URL usually carries a password.
    database_url: str = Field(default=DEFAULT_DATABASE_URL, repr=False)
    dev_guild_id: int | None = Field(default=None, gt=0)
    log_level: LogLevel = "INFO"
    discord_api_base: str = DEFAULT_API_BASE
    discord_gateway_url: str | None = None
    shard_count: int | None = Field(default=None, ge=1)
    shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = None
    # The health and metrics endpoint (/healthz, /metrics): off unless METRICS_PORT is set.
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_host: str = Field(default="127.0.0.1", min_length=1)
    # Key for hashing the ids of users who report a wrong answer; unset: the bot makes one
    # and keeps it in the database, so every process sharing the database uses the same.
    report_salt: SecretStr | None = None
    # How long after a person's last exchange in a channel their follow-ups still mean it.
    conversation_seconds: float = Field(
        default=CONVERSATION_SECONDS, gt=0, le=24 * 3600, allow_inf_nan=False
    )

    @field_validator("discord_token", mode="after")
    @classmethod
    def _strip_token(cls, value: SecretStr | None) -> SecretStr | None:
        """Return the token without surrounding blanks; a blank token counts as unset."""
        if value is None:
            return None
        stripped = value.get_secret_value().strip()
        return SecretStr(stripped) if stripped else None

    @field_validator("report_salt", mode="after")
    @classmethod
    def _check_report_salt(cls, value: SecretStr | None) -> SecretStr | None:
        """Return the salt without surrounding blanks; require 16 characters or more."""
        if value is None:
            return None
        stripped = value.get_secret_value().strip()
        if not stripped:
            return None
        if len(stripped) < 16:
            raise ValueError("must be at least 16 characters (a long random string)")
        return SecretStr(stripped)

    @field_validator("database_url", mode="after")
    @classmethod
    def _async_database_url(cls, value: str) -> str:
        """Return the URL rewritten for the async drivers (an unknown scheme is an error)."""
        # Imported here, not at the top: the bot.storage package pulls in SQLAlchemy, which
        # the commands that load settings but never open the database should not pay for.
        from bot.storage.urls import normalize_database_url

        return normalize_database_url(value)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        """Return the level in upper case so `debug` works; `WARN` means WARNING."""
        if isinstance(value, str):
            level = value.strip().upper()
            return "WARNING" if level == "WARN" else level
        return value

    @field_validator("discord_api_base", mode="after")
    @classmethod
    def _check_api_base(cls, value: str) -> str:
        """Return the API base without a trailing slash, requiring http(s)."""
        if not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// (for example https://discord.com/api/v10)")
        return value.rstrip("/")

    @field_validator("discord_gateway_url", mode="after")
    @classmethod
    def _check_gateway_url(cls, value: str | None) -> str | None:
        """Return the gateway URL, requiring a websocket scheme."""
        if value is not None and not value.startswith(("wss://", "ws://")):
            raise ValueError("must start with wss:// (for example wss://gateway.discord.gg)")
        return value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _split_shard_ids(cls, value: object) -> object:
        """Return SHARD_IDS as a list of ints when given as a comma separated string."""
        return _parse_int_list(value)

    @model_validator(mode="after")
    def _check_shards(self) -> Settings:
        """Require SHARD_COUNT with SHARD_IDS and every id in 0..SHARD_COUNT-1, once."""
        if self.shard_ids is None:
            return self
        if self.shard_count is None:
            raise ValueError("SHARD_IDS is set but SHARD_COUNT is not; set both or neither")
        bad = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
        if bad:
            raise ValueError(
                f"SHARD_IDS must be between 0 and {self.shard_count - 1} "
                f"(SHARD_COUNT is {self.shard_count}); got {bad[0]}"
            )
        if len(set(self.shard_ids)) != len(self.shard_ids):
            raise ValueError("SHARD_IDS lists the same shard twice")
        return self

    def require_token(self) -> str:
        """Return the Discord bot token, or raise `MissingTokenError` saying how to get one."""
        if self.discord_token is None:
            raise MissingTokenError(
                "DISCORD_TOKEN is not set: create an application at "
                f"{DEVELOPER_PORTAL_URL}, open its Bot tab, click Reset Token, "
                "and put DISCORD_TOKEN=<your token> in .env"
            )
        return self.discord_token.get_secret_value()


def _describe_error(error: ErrorDetails) -> str:
    """Return one validation error as "VARIABLE: what is wrong"."""
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    message = error["msg"]
    if error["type"] == "value_error" and "error" in ctx:
        # Our own ValueErrors read better without pydantic's "Value error, " prefix.
        message = str(ctx["error"])
    message = " ".join(message.split())
    loc = error["loc"]
    if not loc:
        return message
    return f"{str(loc[0]).upper()}: {message}"


def describe_validation_error(exc: ValidationError) -> str:
    """Return a one-line message for `exc` naming each offending environment variable."""
    return "invalid settings: " + "; ".join(_describe_error(e) for e in exc.errors())


def variable_names() -> tuple[str, ...]:
    """Return the environment variables the bot reads, one per Settings field."""
    return tuple(name.upper() for name in Settings.model_fields)


def load_settings(env_file: str | Path | None = ".env") -> Settings:
    """Load settings from the environment and `env_file` (None: environment only)."""
    try:
        return Settings(_env_file=env_file)
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(exc)) from None
