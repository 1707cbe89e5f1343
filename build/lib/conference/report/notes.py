"""Where the workshop chapter gets each workshop's notes (markdown).

PLUG-IN POINT for the shared notes (issue 10): `phase_close_notes` returns the text of a
workshop room's notes as of the version kept when the workshop phase closed, or None when
there is none. Until the notes capability lands it has none to give; the report's workshop
chapter renders whatever text this returns (markdown), so nothing else needs to change.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection


async def phase_close_notes(conn: AsyncConnection, event_id: str, room: str) -> str | None:
    """The notes of `room` as of the phase-close version (markdown), or None."""
    return None
