"""shared notes: documents, their update log and versions

Revision ID: 0004n
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004n"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notes_docs",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("room", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), server_default="0", nullable=False),
        sa.Column("mode", sa.String(length=12), server_default="everyone", nullable=False),
        sa.Column("snapshot", sa.LargeBinary(), nullable=True),
        sa.Column("snapshot_seq", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "room", name=op.f("pk_notes_docs")),
    )
    op.create_table(
        "notes_updates",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("room", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "room", "seq", name=op.f("pk_notes_updates")),
    )
    op.create_table(
        "notes_versions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("room", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["people.id"], name=op.f("fk_notes_versions_created_by_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes_versions")),
    )
    with op.batch_alter_table("notes_versions", schema=None) as batch_op:
        batch_op.create_index("ix_notes_versions_room", ["event_id", "room"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notes_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_notes_versions_room")

    op.drop_table("notes_versions")
    op.drop_table("notes_updates")
    op.drop_table("notes_docs")
