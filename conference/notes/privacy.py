"""The workshops' shared notes as personal data (conference/privacy/declaration.py).

A notes document is written by several people at once and merged (a CRDT): what one person
typed cannot be told apart from what the others made of it, so the text is a shared result.
What names a person is who saved a version; that goes when they withdraw.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.clock import iso
from conference.privacy.declaration import N_, Expiring, Forgetting, PersonalData
from conference.storage.tables import notes_docs, notes_updates, notes_versions


async def export(conn: AsyncConnection, event_id: str, person_id: str) -> Any:
    query = (
        sa.select(notes_versions.c.room, notes_versions.c.name, notes_versions.c.created_at)
        .where(notes_versions.c.event_id == event_id, notes_versions.c.created_by == person_id)
        .order_by(notes_versions.c.created_at)
    )
    return [
        {"room": row.room, "version_saved": row.name, "saved_at": iso(row.created_at)}
        for row in await conn.execute(query)
    ]


async def forget(conn: AsyncConnection, forgetting: Forgetting) -> None:
    """The notes stay (a shared result); the versions the person saved no longer name them."""
    await conn.execute(
        notes_versions.update()
        .where(
            notes_versions.c.event_id == forgetting.event_id,
            notes_versions.c.created_by.in_(forgetting.person_ids),
        )
        .values(created_by=None)
    )


async def expire(conn: AsyncConnection, expiring: Expiring) -> int:
    """The notes of every room go: export them before (`conference export notes`)."""
    deleted = 0
    for table in (notes_versions, notes_updates, notes_docs):
        result = await conn.execute(table.delete().where(table.c.event_id == expiring.event_id))
        deleted += int(result.rowcount)
    return deleted


notes = PersonalData(
    name="notes",
    kind="notes",
    tables=(notes_docs, notes_updates, notes_versions),
    title=N_("Shared notes"),
    what=N_(
        "What you write in a workshop's shared notes (merged with what the others write), "
        "and the versions you save."
    ),
    purpose=N_("To record the workshops' results together."),
    on_withdrawal=N_(
        "The notes stay, as the workshop's shared result; the versions you saved no longer "
        "name you."
    ),
    export=export,
    forget=forget,
    expire=expire,
)
