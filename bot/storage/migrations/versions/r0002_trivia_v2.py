"""Trivia quiz v2: hints and spoiler settings, a game's id and open question, and the
questions each channel was asked (no repeats across games).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07

Every new column is nullable: NULL in a settings column means the default (hints on,
spoilers off), and a game saved by the previous release has no id or open question.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the settings and game columns, and the table of asked questions."""
    with op.batch_alter_table("guild_settings") as batch:
        batch.add_column(sa.Column("trivia_spoilers", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("trivia_hints", sa.Boolean(), nullable=True))
    with op.batch_alter_table("quiz_games") as batch:
        batch.add_column(sa.Column("game_id", sa.String(16), nullable=True))
        batch.add_column(sa.Column("question_message_id", sa.BigInteger(), nullable=True))
    op.create_table(
        "quiz_asked",
        sa.Column("channel_id", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("question_key", sa.String(200), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel_id", "question_key", name="pk_quiz_asked"),
    )
    op.create_index("ix_quiz_asked_guild_id", "quiz_asked", ["guild_id"])


def downgrade() -> None:
    """Drop what upgrade added (the asked questions and the new columns' values)."""
    op.drop_index("ix_quiz_asked_guild_id", table_name="quiz_asked")
    op.drop_table("quiz_asked")
    with op.batch_alter_table("quiz_games") as batch:
        batch.drop_column("question_message_id")
        batch.drop_column("game_id")
    with op.batch_alter_table("guild_settings") as batch:
        batch.drop_column("trivia_hints")
        batch.drop_column("trivia_spoilers")
