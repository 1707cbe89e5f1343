"""Every table, as SQLAlchemy Core metadata (portable SQL: SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _now() -> sa.Column[sa.DateTime]:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


people = sa.Table(
    "people",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("event_id", sa.String(64), nullable=False, index=True),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("organisation", sa.String(160), nullable=False, server_default=""),
    sa.Column("email", sa.String(254), nullable=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("room", sa.String(64), nullable=True),
    sa.Column("workshop_first", sa.String(64), nullable=True),
    sa.Column("workshop_second", sa.String(64), nullable=True),
    sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("source", sa.String(16), nullable=False, server_default="registration"),
    sa.Column("muted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
    _now(),
    sa.UniqueConstraint("event_id", "email", name="uq_people_event_email"),
)

join_tokens = sa.Table(
    "join_tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("person_id", sa.String(32), sa.ForeignKey("people.id"), nullable=False, index=True),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    _now(),
)

room_log = sa.Table(
    "room_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("room", sa.String(64), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("type", sa.String(40), nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    _now(),
    sa.UniqueConstraint("event_id", "room", "seq", name="uq_room_log_seq"),
)

event_state = sa.Table(
    "event_state",
    metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.JSON, nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

chat_messages = sa.Table(
    "chat_messages",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("room", sa.String(64), nullable=False),
    sa.Column("person_id", sa.String(32), sa.ForeignKey("people.id"), nullable=False),
    sa.Column("client_id", sa.String(64), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("deleted_by", sa.String(32), nullable=True),
    _now(),
    sa.UniqueConstraint("person_id", "client_id", name="uq_chat_messages_client"),
    sa.Index("ix_chat_messages_room", "event_id", "room", "seq"),
)
