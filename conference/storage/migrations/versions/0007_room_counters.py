"""room counters: each room's last log number in a row of its own, incremented by every append

Revision ID: 0007_room_counters
Revises: 0006_results
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_room_counters"
down_revision = "0006_results"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "room_counters",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("room", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "room", name=op.f("pk_room_counters")),
    )
    # the logs written so far continue where they are
    op.execute(
        "INSERT INTO room_counters (event_id, room, seq) "
        "SELECT event_id, room, MAX(seq) FROM room_log GROUP BY event_id, room"
    )


def downgrade() -> None:
    op.drop_table("room_counters")
