"""Pinning a question (the one being answered now, one per room) and how a change of a
question reaches the room, its managers, the asker and the presenter views."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.qa import store
from conference.realtime import audiences, room_log
from conference.services import Services
from conference.storage import locks


async def take_turn(conn: AsyncConnection, event_id: str, room: str) -> None:
    """Call first in a write block that pins (before anything else that locks): pins of one
    room take turns, since two at once would each unpin before the other pinned (PostgreSQL;
    SQLite has one writer). Unpinning alone needs no turn: its update waits on the row."""
    await locks.exclusive(conn, "pin", event_id, room)


async def pin(
    conn: AsyncConnection, event_id: str, room: str, question_id: str, value: bool
) -> tuple[dict[str, Any], room_log.Entry]:
    """Pin the question (unpinning the room's other one), or unpin it; call inside the write
    block with a question already checked. Returns the question and the logged change."""
    await store.unpin_room(conn, event_id, room)
    if value:
        await store.update(conn, question_id, pinned=True)
    row = await store.get(conn, event_id, question_id)
    question = store.as_question(row)
    entry = await room_log.append(
        conn,
        event_id,
        room,
        "question:pinned",
        {"id": question_id if value else None, "question": question if value else None},
    )
    return question, entry


def publish(
    services: Services, question: dict[str, Any], asker: str, *entries: room_log.Entry | None
) -> None:
    """Logged changes to the room (and the presenter views where they concern the pinned
    question); every change to the room's managers and to the asker."""
    event_id = services.event.id
    for entry in entries:
        if entry is None:
            continue
        services.publisher.send(entry, audiences.room(event_id, question["room"]))
        if entry.type == "question:pinned" or question["pinned"]:
            services.publisher.send(entry, audiences.presenters(event_id))
    data = {"room": question["room"], "question": question}
    services.publisher.send_volatile(
        "question:changed", data, audiences.managers(event_id, question["room"])
    )
    services.publisher.send_volatile("question:changed", data, audiences.person(event_id, asker))
