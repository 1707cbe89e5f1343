"""Requests for help from a workshop room ("Hilfe anfordern"), answered by a moderator."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import new_id
from conference.clock import iso, utcnow
from conference.storage.tables import help_requests, people


def as_request(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "room": row.room,
        "message": row.message,
        "person": {"id": row.person_id, "name": row.name, "role": row.role},
        "created_at": iso(row.created_at),
        "answered_at": iso(row.answered_at),
    }


def _select() -> sa.Select[Any]:
    return sa.select(help_requests, people.c.name, people.c.role).join(
        people, people.c.id == help_requests.c.person_id
    )


async def open_in_room(
    conn: AsyncConnection, event_id: str, room: str | None = None
) -> list[dict[str, Any]]:
    """Unanswered requests (of one room, or of all), oldest first."""
    query = _select().where(
        help_requests.c.event_id == event_id, help_requests.c.answered_at.is_(None)
    )
    if room is not None:
        query = query.where(help_requests.c.room == room)
    query = query.order_by(help_requests.c.created_at)
    return [as_request(row) for row in await conn.execute(query)]


async def ask(
    conn: AsyncConnection, event_id: str, room: str, person_id: str, message: str
) -> dict[str, Any]:
    """A new request, or the room's open one: one call for help per room is enough."""
    waiting = await open_in_room(conn, event_id, room)
    if waiting:
        return waiting[0]
    request_id = new_id()
    await conn.execute(
        help_requests.insert().values(
            id=request_id,
            event_id=event_id,
            room=room,
            person_id=person_id,
            message=message,
            created_at=utcnow(),
        )
    )
    return await get(conn, event_id, request_id) or {}


async def get(conn: AsyncConnection, event_id: str, request_id: str) -> dict[str, Any] | None:
    query = _select().where(help_requests.c.event_id == event_id, help_requests.c.id == request_id)
    row = (await conn.execute(query)).first()
    return as_request(row) if row else None


async def answer(conn: AsyncConnection, request_id: str, by: str) -> None:
    await conn.execute(
        help_requests.update()
        .where(help_requests.c.id == request_id, help_requests.c.answered_at.is_(None))
        .values(answered_at=utcnow(), answered_by=by)
    )
