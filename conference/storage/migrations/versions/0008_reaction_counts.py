"""reaction counts: the mood in the room per room, minute and emoji, kept for the console and
the report

Revision ID: 0008_reaction_counts
Revises: 0007_room_counters
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_reaction_counts"
down_revision = "0007_room_counters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reaction_counts",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("room", sa.String(length=64), nullable=False),
        sa.Column("minute", sa.DateTime(timezone=True), nullable=False),
        sa.Column("emoji", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "event_id", "room", "minute", "emoji", name=op.f("pk_reaction_counts")
        ),
    )


def downgrade() -> None:
    op.drop_table("reaction_counts")
