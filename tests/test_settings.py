"""Runtime settings: defaults, URL rewriting, shards, the token and error messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import (
    DEFAULT_DATABASE_URL,
    MissingTokenError,
    Settings,
    SettingsError,
    load_settings,
    variable_names,
)
from bot.storage import normalize_database_url

TOKEN = "MTIzNDU2Nzg5.fake.token-value-XYZ"
VARIABLES = variable_names()


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Hide the developer's own settings and `.env` from every test."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def load_with(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings(env_file=None)


def test_defaults() -> None:
    settings = load_settings(env_file=None)

    assert settings.discord_token is None
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.dev_guild_id is None
    assert settings.log_level == "INFO"
    assert settings.discord_api_base == "https://discord.com/api/v10"
    assert settings.discord_gateway_url is None
    assert settings.shard_count is None
    assert settings.shard_ids is None
    assert settings.metrics_port is None


def test_reads_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / "custom.env"
    env_file.write_text(
        f"DISCORD_TOKEN={TOKEN}\nDEV_GUILD_ID=123\nLOG_LEVEL=debug\nMETRICS_PORT=9100\n"
        "SOMETHING_ELSE=ignored\nDISCORD_GATEWAY_URL=\n"
    )

    settings = load_settings(env_file=env_file)

    assert settings.require_token() == TOKEN
    assert settings.dev_guild_id == 123
    assert settings.log_level == "DEBUG"
    assert settings.metrics_port == 9100
    assert settings.discord_gateway_url is None  # empty means unset


def test_environment_beats_env_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("LOG_LEVEL=DEBUG\n")
    monkeypatch.setenv("LOG_LEVEL", "ERROR")

    assert load_settings(env_file=env_file).log_level == "ERROR"


def test_default_env_file_is_dot_env_in_working_directory(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DEV_GUILD_ID=42\n")

    assert load_settings().dev_guild_id == 42


def test_missing_env_file_is_fine() -> None:
    assert load_settings(env_file="does-not-exist.env").log_level == "INFO"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/bot", "postgresql+asyncpg://u:p@db:5432/bot"),
        ("postgresql://u:p@db/bot", "postgresql+asyncpg://u:p@db/bot"),
        ("postgresql+asyncpg://u:p@db/bot", "postgresql+asyncpg://u:p@db/bot"),
        ("sqlite:///./data/x.sqlite3", "sqlite+aiosqlite:///./data/x.sqlite3"),
        ("sqlite:////abs/x.sqlite3", "sqlite+aiosqlite:////abs/x.sqlite3"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ],
)
def test_database_url_is_rewritten_to_async_drivers(
    monkeypatch: pytest.MonkeyPatch, given: str, expected: str
) -> None:
    assert normalize_database_url(given) == expected
    assert load_with(monkeypatch, DATABASE_URL=given).database_url == expected


@pytest.mark.parametrize("url", ["mysql://u:s3cr3t@h/db", "postgresql+psycopg2://u:s3cr3t@h/db"])
def test_unsupported_database_url_is_named_without_password(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    with pytest.raises(SettingsError) as excinfo:
        load_with(monkeypatch, DATABASE_URL=url)

    assert "DATABASE_URL" in str(excinfo.value)
    assert "s3cr3t" not in str(excinfo.value)


def test_database_url_is_not_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_with(monkeypatch, DATABASE_URL="postgresql://u:s3cr3t@h/db")

    assert "s3cr3t" not in repr(settings)


def test_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_with(monkeypatch, SHARD_COUNT="4", SHARD_IDS=" 0, 2,3 ")

    assert settings.shard_count == 4
    assert settings.shard_ids == (0, 2, 3)


def test_shard_count_alone_is_fine(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_with(monkeypatch, SHARD_COUNT="2")

    assert (settings.shard_count, settings.shard_ids) == (2, None)


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"SHARD_IDS": "0,1"}, "SHARD_COUNT is not"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0,2"}, "between 0 and 1"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "-1"}, "between 0 and 1"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "1,1"}, "twice"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "one"}, "comma separated"),
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT"),
    ],
)
def test_bad_shards_are_rejected(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], fragment: str
) -> None:
    with pytest.raises(SettingsError, match=fragment) as excinfo:
        load_with(monkeypatch, **env)

    assert "SHARD" in str(excinfo.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LOG_LEVEL", "LOUD"),
        ("DEV_GUILD_ID", "not-a-number"),
        ("METRICS_PORT", "70000"),
        ("DISCORD_API_BASE", "discord.com/api"),
        ("DISCORD_GATEWAY_URL", "https://gateway.discord.gg"),
    ],
)
def test_errors_are_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    with pytest.raises(SettingsError) as excinfo:
        load_with(monkeypatch, DISCORD_TOKEN=TOKEN, **{name: value})

    message = str(excinfo.value)
    assert name in message
    assert "\n" not in message
    assert TOKEN not in message


def test_log_level_is_case_insensitive(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_with(monkeypatch, LOG_LEVEL="warn").log_level == "WARNING"


def test_missing_token_message_is_one_line_and_points_to_the_portal() -> None:
    settings = load_settings(env_file=None)

    with pytest.raises(MissingTokenError) as excinfo:
        settings.require_token()

    message = str(excinfo.value)
    assert "\n" not in message
    assert "https://discord.com/developers/applications" in message
    assert "Reset Token" in message
    assert "DISCORD_TOKEN=" in message
    assert ".env" in message


def test_blank_token_counts_as_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(MissingTokenError):
        load_with(monkeypatch, DISCORD_TOKEN="   ").require_token()


def test_token_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_with(monkeypatch, DISCORD_TOKEN=f"  {TOKEN}  ")

    assert settings.require_token() == TOKEN
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings)
    assert TOKEN not in repr(settings.discord_token)
    assert TOKEN not in str(settings.model_dump())


def test_token_not_in_validation_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # A token pasted into the wrong variable must not be echoed back either.
    with pytest.raises(SettingsError) as excinfo:
        load_with(monkeypatch, DISCORD_TOKEN=TOKEN, METRICS_PORT=TOKEN)

    assert TOKEN not in str(excinfo.value)


def test_report_salt(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings(env_file=None).report_salt is None
    salt = "a-long-random-salt-value"
    settings = load_with(monkeypatch, REPORT_SALT=f"  {salt} ")
    assert settings.report_salt is not None
    assert settings.report_salt.get_secret_value() == salt
    assert salt not in repr(settings)


def test_short_report_salt_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SettingsError, match="REPORT_SALT: must be at least 16 characters"):
        load_with(monkeypatch, REPORT_SALT="short")


def test_env_example_documents_every_setting() -> None:
    example = Path(__file__).resolve().parents[1] / ".env.example"
    names = {
        line.split("=", 1)[0]
        for line in example.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#") and "=" in line
    }
    documented = set(variable_names())
    assert names == documented

    settings = load_settings(env_file=example)

    assert settings.discord_token is None
    assert settings.database_url == DEFAULT_DATABASE_URL
