"""Idempotency key per result, unique: a result written twice is stored once.

Rows from before get "legacy:<id>", so the column is NOT NULL for every row.

Revision ID: 0002_idempotency_key
Revises: 0001_initial
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_idempotency_key"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Adds quiz_results.idempotency_key, fills it for old rows, makes it unique."""
    op.add_column("quiz_results", sa.Column("idempotency_key", sa.String(64), nullable=True))
    op.execute(
        "UPDATE quiz_results SET idempotency_key = 'legacy:' || CAST(id AS VARCHAR(20)) "
        "WHERE idempotency_key IS NULL"
    )
    # Batch mode: SQLite cannot alter a column in place, so the table is copied there.
    with op.batch_alter_table("quiz_results") as batch:
        batch.alter_column("idempotency_key", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint("uq_quiz_results_idempotency_key", ["idempotency_key"])


def downgrade() -> None:
    """Drops the key and its constraint."""
    with op.batch_alter_table("quiz_results") as batch:
        batch.drop_constraint("uq_quiz_results_idempotency_key", type_="unique")
        batch.drop_column("idempotency_key")
