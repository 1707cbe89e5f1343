"""Reaction counts per room, minute and emoji: added to once a second, read as totals (the
console) and as a curve over the day (the report)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.clock import aware
from conference.storage.tables import reaction_counts
from conference.storage.upsert import dialect_insert


def minute_of(when: dt.datetime) -> dt.datetime:
    return when.astimezone(dt.UTC).replace(second=0, microsecond=0)


async def add(
    conn: AsyncConnection, event_id: str, room: str, when: dt.datetime, counts: Mapping[str, int]
) -> dict[str, int]:
    """Add one second's counts to their minute; returns the room's totals afterwards."""
    minute = minute_of(when)
    insert = dialect_insert(conn, reaction_counts)
    rows = [
        {"event_id": event_id, "room": room, "minute": minute, "emoji": emoji, "count": n}
        for emoji, n in counts.items()
    ]
    statement = insert.values(rows).on_conflict_do_update(  # one statement for every emoji
        index_elements=["event_id", "room", "minute", "emoji"],
        set_={"count": reaction_counts.c.count + insert.excluded.count},
    )
    await conn.execute(statement)
    return await totals(conn, event_id, room)


async def totals(conn: AsyncConnection, event_id: str, room: str) -> dict[str, int]:
    """The room's reactions so far, per emoji."""
    query = (
        sa.select(reaction_counts.c.emoji, sa.func.sum(reaction_counts.c.count))
        .where(reaction_counts.c.event_id == event_id, reaction_counts.c.room == room)
        .group_by(reaction_counts.c.emoji)
    )
    return {emoji: int(n) for emoji, n in await conn.execute(query)}


async def per_minute(conn: AsyncConnection, event_id: str) -> list[tuple[dt.datetime, str, int]]:
    """Every minute with reactions, in any room: (minute, emoji, count), oldest first."""
    query = (
        sa.select(
            reaction_counts.c.minute,
            reaction_counts.c.emoji,
            sa.func.sum(reaction_counts.c.count),
        )
        .where(reaction_counts.c.event_id == event_id)
        .group_by(reaction_counts.c.minute, reaction_counts.c.emoji)
        .order_by(reaction_counts.c.minute)
    )
    return [(aware(minute), emoji, int(n)) for minute, emoji, n in await conn.execute(query)]
