"""Chat messages in SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import public_person
from conference.clock import iso
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
    people.c.anonymised_at,
)


def message(
    *, id: str, client_id: str, body: str, created_at: dt.datetime, person: dict[str, Any]
) -> dict[str, Any]:
    """The one serialiser of a chat message: what clients see of it, live (`chat:message`),
    after a reload (the snapshot) and when catching up (the log). Plain text, never HTML;
    the time with its zone (SQLite returns it naive)."""
    return {
        "id": id,
        "client_id": client_id,
        "body": body,
        "created_at": iso(created_at),
        "person": person,
    }


def as_message(row: Any) -> dict[str, Any]:
    """A stored message (with its number in the room's log)."""
    person = public_person(
        row.person_id, row.name, row.organisation, row.role, row.anonymised_at is not None
    )
    return {
        **message(
            id=row.id,
            client_id=row.client_id,
            body=row.body,
            created_at=row.created_at,
            person=person,
        ),
        "seq": row.seq,
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
