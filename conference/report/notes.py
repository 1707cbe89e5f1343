"""Where the workshop chapter gets each workshop's notes (markdown): the one place the report
reads the notes capability.

`phase_close_notes` gives the text of a workshop room's notes as of the version kept when the
workshop phase last closed (conference/notes/, kept by its phase-close hook), or None when no
such version exists (the phase never closed, or the room kept no notes).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.notes import store


async def phase_close_notes(conn: AsyncConnection, event_id: str, room: str) -> str | None:
    """The notes of `room` as of the phase-close version (markdown), or None."""
    found = await store.latest_auto_version(conn, event_id, room)
    return found[1] if found else None
