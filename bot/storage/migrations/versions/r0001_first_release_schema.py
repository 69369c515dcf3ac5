"""The schema of the last release before alembic: every table the bot had then.

Revision ID: 0001
Revises:
Create Date: 2026-12-07

Tables that already exist are left as they are (checkfirst): a database made by that
release gets only what it lacks, keeping every row. `schema_version` is that release's
own version table; its row is set to 1000, above any version the old mechanism reached,
so that an old bot pointed at this database refuses it ("upgrade the bot") instead of
running on a schema it does not know.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# What the releases before alembic wrote in schema_version, and what this revision leaves.
LEGACY_VERSION = 1
GUARD_VERSION = 1000

# The tables as they were at this revision, frozen here (later revisions change them
# with `op` calls; schema.py describes the newest).
_tables = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "pk": "pk_%(table_name)s",
    }
)
sa.Table(
    "guild_settings",
    _tables,
    sa.Column("guild_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("mode", sa.String(16), nullable=True),
    sa.Column("cooldown_seconds", sa.Float, nullable=True),
    sa.Column("trivia_round_seconds", sa.Integer, nullable=True),
    sa.Column("trivia_rounds", sa.Integer, nullable=True),
)
sa.Table(
    "guild_channels",
    _tables,
    sa.Column("guild_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("channel_id", sa.BigInteger, primary_key=True, autoincrement=False),
)
sa.Table(
    "miss_reports",
    _tables,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("guild_id", sa.BigInteger, nullable=True, index=True),
    sa.Column("message_id", sa.BigInteger, nullable=False),
    sa.Column("user_hash", sa.String(64), nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("intent", sa.Text, nullable=True),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("answered", sa.Boolean, nullable=False),
    sa.UniqueConstraint("message_id", "user_hash"),
)
sa.Table(
    "trivia_scores",
    _tables,
    sa.Column("guild_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("points", sa.BigInteger, nullable=False),
    sa.Column("correct", sa.Integer, nullable=False),
    sa.Column("best_streak", sa.Integer, nullable=False),
    sa.Column("fastest_ms", sa.Integer, nullable=True),
)
sa.Table(
    "quiz_games",
    _tables,
    sa.Column("channel_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("guild_id", sa.BigInteger, nullable=False, index=True),
    sa.Column("started_by", sa.BigInteger, nullable=False),
    sa.Column("state", sa.JSON, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Table(
    "bot_secrets",
    _tables,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
schema_version = sa.Table(
    "schema_version",
    _tables,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("version", sa.Integer, nullable=False),
)


def upgrade() -> None:
    """Create the tables a database lacks, and set the old releases' guard."""
    bind = op.get_bind()
    _tables.create_all(bind, checkfirst=True)
    op.execute(schema_version.delete())
    op.execute(schema_version.insert().values(id=1, version=GUARD_VERSION))


def downgrade() -> None:
    """Drop every table of this revision (and so every row)."""
    _tables.drop_all(op.get_bind())
