"""Chat messages in SQL."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.storage.tables import chat_messages, people

_COLUMNS = (
    chat_messages.c.id,
    chat_messages.c.client_id,
    chat_messages.c.body,
    chat_messages.c.seq,
    chat_messages.c.created_at,
    chat_messages.c.person_id,
    people.c.name,
    people.c.organisation,
    people.c.role,
)


def as_message(row: Any) -> dict[str, Any]:
    """The message as clients see it (plain text; never interpreted as HTML)."""
    return {
        "id": row.id,
        "client_id": row.client_id,
        "body": row.body,
        "seq": row.seq,
        "created_at": row.created_at.isoformat(),
        "person": {
            "id": row.person_id,
            "name": row.name,
            "organisation": row.organisation,
            "role": row.role,
        },
    }


def _select() -> sa.Select[Any]:
    return sa.select(*_COLUMNS).join(people, people.c.id == chat_messages.c.person_id)


async def by_client_id(
    conn: AsyncConnection, person_id: str, client_id: str
) -> dict[str, Any] | None:
    query = _select().where(
        chat_messages.c.person_id == person_id, chat_messages.c.client_id == client_id
    )
    row = (await conn.execute(query)).first()
    return as_message(row) if row else None


async def get(conn: AsyncConnection, event_id: str, message_id: str) -> Any:
    query = sa.select(chat_messages).where(
        chat_messages.c.event_id == event_id, chat_messages.c.id == message_id
    )
    return (await conn.execute(query)).first()


async def recent(
    conn: AsyncConnection, event_id: str, room: str, limit: int
) -> list[dict[str, Any]]:
    query = (
        _select()
        .where(
            chat_messages.c.event_id == event_id,
            chat_messages.c.room == room,
            chat_messages.c.deleted_at.is_(None),
        )
        .order_by(chat_messages.c.seq.desc())
        .limit(limit)
    )
    rows = list(await conn.execute(query))
    return [as_message(row) for row in reversed(rows)]
