"""Ending every connection of one person, on every process (removal, withdrawal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conference.realtime import audiences

if TYPE_CHECKING:
    from conference.services import Services


async def end_sessions(services: Services, person_id: str, reason: str) -> None:
    """Tell the person's pages why (`session:ended`), then disconnect them and forget their
    presence in every room. Their links must be revoked (committed) before."""
    event_id = services.event.id
    services.publisher.send_volatile(
        "session:ended", {"reason": reason}, audiences.person(event_id, person_id)
    )
    await services.publisher.flush()
    sids = {sid for sid, c in services.connections.items() if c.person.id == person_id}
    for room in services.rooms.ids():
        present = await services.state.presence_sids(room, person_id)
        sids |= present
        for sid in present:
            await services.state.presence_leave(room, person_id, sid)
        services.dirty_rooms.add(room)
    for sid in sids:
        await services.sio.disconnect(sid)  # works across processes on the Redis manager
