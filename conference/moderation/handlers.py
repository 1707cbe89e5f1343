"""Moderators mute and remove people and see who is present."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from conference.auth import people as people_store
from conference.auth.roles import Permission, Role, is_moderator
from conference.realtime import audiences
from conference.realtime.capability import Capability
from conference.realtime.dispatch import Context, Payload, Router
from conference.realtime.ending import end_sessions
from conference.realtime.errors import Refused

router = Router()


class PersonRef(Payload):
    person_id: str = Field(min_length=1, max_length=32)


class PersonMute(PersonRef):
    muted: bool = True


class PresenceList(Payload):
    room: str = Field(min_length=1, max_length=64)


async def _target(ctx: Context, conn: Any, person_id: str) -> people_store.Person:
    person = await people_store.get_person(conn, person_id)
    if person is None or person.event_id != ctx.event_id or person.anonymised:
        raise Refused("person.not_found")  # a withdrawn person is a nameless placeholder
    if is_moderator(person.role):
        raise Refused("auth.forbidden")
    return person


@router.on("person:mute", PersonMute, Permission.MODERATOR)
async def mute(ctx: Context, payload: PersonMute) -> dict[str, Any]:
    async with ctx.services.db.write() as conn:
        person = await _target(ctx, conn, payload.person_id)
        await people_store.set_muted(conn, person.id, payload.muted)
    notice = {"person_id": person.id, "muted": payload.muted}
    ctx.services.publisher.send_volatile(
        "person:muted", notice, audiences.person(ctx.event_id, person.id)
    )
    ctx.services.publisher.send_volatile("person:muted", notice, audiences.moderators(ctx.event_id))
    return notice


@router.on("person:remove", PersonRef, Permission.MODERATOR)
async def remove(ctx: Context, payload: PersonRef) -> dict[str, Any]:
    """Revoke every link, end every connection of the person; they cannot rejoin."""
    services = ctx.services
    async with services.db.write() as conn:
        person = await _target(ctx, conn, payload.person_id)
        await people_store.remove_person(conn, person.id)
    await end_sessions(ctx.services, person.id, "removed")
    return {"person_id": person.id, "removed": True}


@router.on("presence:list", PresenceList, Permission.FACILITATOR)
async def presence_list(ctx: Context, payload: PresenceList) -> dict[str, Any]:
    """Who is in a room now: name, organisation, role, muted; and the registrations against
    the event's capacity (the console's figure follows as people come and go)."""
    ids = await ctx.services.state.presence_people(payload.room)
    async with ctx.services.db.read() as conn:
        everyone = await people_store.list_people(conn, ctx.event_id)
    present = [p for p in everyone if p.id in ids]
    registered = sum(1 for p in everyone if p.role == Role.PARTICIPANT and not p.removed)
    return {
        "room": payload.room,
        "count": len(present),
        "people": [{**p.public(), "muted": p.muted} for p in present],
        "registered": registered,
        "capacity": ctx.services.event.registration.capacity,
    }


capability = Capability("moderation", router)
