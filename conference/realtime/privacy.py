"""The room log as personal data (conference/privacy/declaration.py).

The log holds copies of what was broadcast (messages with their authors' names, questions),
so a client that missed something can catch up. Each capability rewrites or deletes its own
entries when a person withdraws or its kind expires; the "logs" retention deletes the rest.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.privacy.declaration import N_, Expiring, Forgetting, PersonalData
from conference.realtime import room_log
from conference.storage.tables import room_log as room_log_table


async def export(conn: AsyncConnection, event_id: str, person_id: str) -> Any:
    """Nothing of its own: the entries copy records that the other sections export."""
    return None


async def forget(conn: AsyncConnection, forgetting: Forgetting) -> None:
    """Each capability anonymises its own entries (they know their shape)."""


async def expire(conn: AsyncConnection, expiring: Expiring) -> int:
    return await room_log.delete(conn, expiring.event_id, None)


room_log_data = PersonalData(
    name="room_log",
    kind="logs",
    tables=(room_log_table,),
    title=N_("Room log"),
    what=N_(
        "A log of what was shown in each room (copies of messages and questions), so that a "
        "page that lost its connection can catch up."
    ),
    purpose=N_("To show everyone the same conversation after a connection drops."),
    on_withdrawal=N_("Your name is removed from the copies in the log."),
    export=export,
    forget=forget,
    expire=expire,
)
