"""Reading the notes as text straight from SQL (exports, the CLI, the event report)."""

from __future__ import annotations

from typing import Any

import pycrdt
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.notes import store
from conference.notes.docs import TEXT
from conference.notes.export import Section
from conference.rooms.registry import Room


async def current_text(conn: AsyncConnection, event_id: str, room: str) -> str | None:
    """The room's notes as everything committed makes them, or None when there are none."""
    row = await store.doc(conn, event_id, room)
    if row is None:
        return None
    doc: pycrdt.Doc[Any] = pycrdt.Doc()
    if row.snapshot is not None:
        doc.apply_update(row.snapshot)
    for _, update in await store.updates_after(conn, event_id, room, row.snapshot_seq):
        doc.apply_update(update)
    return str(doc.get(TEXT, type=pycrdt.Text))


async def phase_close_text(conn: AsyncConnection, event_id: str, room: str) -> str | None:
    """The notes as they were when the workshop phase last closed (the version kept then)."""
    found = await store.latest_auto_version(conn, event_id, room)
    return found[1] if found else None


async def sections(conn: AsyncConnection, event_id: str, rooms: list[Room]) -> list[Section]:
    """The notes of these rooms (those that have notes), as sections of a document."""
    found = []
    for room in rooms:
        text = await current_text(conn, event_id, room.id)
        if text is not None:
            found.append(Section(room.title, text, room.facilitator))
    return found
