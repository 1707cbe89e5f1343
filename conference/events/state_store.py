"""Event-wide state that moderators change live (current agenda item, announcement, phase)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.clock import utcnow
from conference.storage import locks
from conference.storage.tables import event_state
from conference.storage.upsert import upsert


async def get_all(conn: AsyncConnection, event_id: str) -> dict[str, Any]:
    query = sa.select(event_state.c.key, event_state.c.value).where(
        event_state.c.event_id == event_id
    )
    return {row.key: row.value for row in await conn.execute(query)}


async def get(conn: AsyncConnection, event_id: str, key: str, *, lock: bool = False) -> Any:
    """One key's value (None when unset); `lock` holds the key until the transaction ends, so
    read-then-write changes of it cannot interleave (PostgreSQL; SQLite has one writer). A
    row lock alone would hold nothing while the key is unset: the first two changes of the
    workshop phase would both read "closed"."""
    if lock:
        await locks.exclusive(conn, "event_state", event_id, key)
    query = sa.select(event_state.c.value).where(
        event_state.c.event_id == event_id, event_state.c.key == key
    )
    if lock:
        query = query.with_for_update()
    return (await conn.execute(query)).scalar()


async def put(conn: AsyncConnection, event_id: str, key: str, value: Any) -> None:
    """Insert or replace one key."""
    await upsert(
        conn,
        event_state,
        {"event_id": event_id, "key": key, "value": value, "updated_at": utcnow()},
        keys=("event_id", "key"),
    )
