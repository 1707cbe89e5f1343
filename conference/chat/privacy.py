"""Chat messages as personal data (conference/privacy/declaration.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import public_person
from conference.privacy.declaration import N_, Expiring, Forgetting, PersonalData
from conference.realtime import audiences, room_log
from conference.storage.tables import chat_messages

LOG_TYPES = ("chat:message", "chat:deleted", "chat:anonymised")


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


async def export(conn: AsyncConnection, event_id: str, person_id: str) -> list[dict[str, Any]]:
    query = (
        sa.select(chat_messages)
        .where(chat_messages.c.event_id == event_id, chat_messages.c.person_id == person_id)
        .order_by(chat_messages.c.created_at)
    )
    return [
        {
            "room": row.room,
            "text": row.body,
            "written_at": _iso(row.created_at),
            "deleted_by_moderation_at": _iso(row.deleted_at),
        }
        for row in await conn.execute(query)
    ]


async def forget(conn: AsyncConnection, forgetting: Forgetting) -> None:
    """Messages stay in the conversation, from "a deleted person": the author's name leaves
    the stored replay too, and every room they wrote in is told."""
    ids = forgetting.person_ids

    def anonymise(type_: str, data: dict[str, Any]) -> dict[str, Any] | None:
        person = data.get("person")
        if not isinstance(person, dict) or person.get("id") not in ids or person.get("deleted"):
            return None
        role = str(person.get("role", "participant"))
        return {**data, "person": public_person(person["id"], "", "", role, anonymised=True)}

    await room_log.rewrite(conn, forgetting.event_id, ("chat:message",), anonymise)
    wrote = await conn.execute(
        sa.select(chat_messages.c.room, chat_messages.c.person_id)
        .where(
            chat_messages.c.event_id == forgetting.event_id,
            chat_messages.c.person_id.in_(ids),
        )
        .distinct()
    )
    rooms: dict[str, set[str]] = {}
    for row in wrote:
        rooms.setdefault(row.room, set()).add(row.person_id)
    for room, authors in sorted(rooms.items()):
        data = {"person_ids": sorted(authors)}
        entry = await room_log.append(conn, forgetting.event_id, room, "chat:anonymised", data)
        forgetting.logged.append((entry, audiences.room(forgetting.event_id, room)))


async def expire(conn: AsyncConnection, expiring: Expiring) -> int:
    deleted = await conn.execute(
        chat_messages.delete().where(chat_messages.c.event_id == expiring.event_id)
    )
    await room_log.delete(conn, expiring.event_id, LOG_TYPES)
    return int(deleted.rowcount)


chat = PersonalData(
    name="chat_messages",
    kind="chat",
    tables=(chat_messages,),
    title=N_("Chat messages"),
    what=N_("The chat messages you write, with the time and the room."),
    purpose=N_("To hold the conversation of the plenary and the workshops."),
    on_withdrawal=N_(
        "Kept in the conversation, which is a shared result, but shown as from a deleted person."
    ),
    export=export,
    forget=forget,
    expire=expire,
)
