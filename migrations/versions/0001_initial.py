"""The results schema as `Base.metadata.create_all` made it before migrations existed.

Revision ID: 0001_initial
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """quiz_results without the idempotency key."""
    op.create_table(
        "quiz_results",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("conversation_hash", sa.String(64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("variant", sa.String(32), nullable=False),
        sa.Column("rubric_version", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("feedback", sa.String(16), nullable=True),
        sa.Column("feedback_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_quiz_results_conversation_hash", "quiz_results", ["conversation_hash"])


def downgrade() -> None:
    """Drops the results table."""
    op.drop_index("ix_quiz_results_conversation_hash", table_name="quiz_results")
    op.drop_table("quiz_results")
