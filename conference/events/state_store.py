"""Event-wide state that moderators change live (current agenda item, announcement, phase)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.clock import utcnow
from conference.storage.tables import event_state


async def get_all(conn: AsyncConnection, event_id: str) -> dict[str, Any]:
    query = sa.select(event_state.c.key, event_state.c.value).where(
        event_state.c.event_id == event_id
    )
    return {row.key: row.value for row in await conn.execute(query)}


async def put(conn: AsyncConnection, event_id: str, key: str, value: Any) -> None:
    """Insert or replace one key (portable: update, then insert when nothing was updated)."""
    now = utcnow()
    result = await conn.execute(
        event_state.update()
        .where(event_state.c.event_id == event_id, event_state.c.key == key)
        .values(value=value, updated_at=now)
    )
    if result.rowcount == 0:
        await conn.execute(
            event_state.insert().values(event_id=event_id, key=key, value=value, updated_at=now)
        )
