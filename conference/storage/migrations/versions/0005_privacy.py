"""privacy: anonymised people, poll results kept after the answers are deleted

Revision ID: 0005
Revises: 0004n
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004n"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kept_results", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.drop_column("kept_results")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")
