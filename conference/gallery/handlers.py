"""gallery:save / gallery:publish (a workshop's facilitators), gallery:upvote (everyone in the
plenary). The stream shows the gallery when the stage says so (conference/stage/)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Annotated, Any

from pydantic import Field, StringConstraints
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.roles import Permission
from conference.gallery import service, store
from conference.realtime.capability import Capability
from conference.realtime.dispatch import Context, Payload, Router
from conference.realtime.errors import Refused
from conference.rooms.registry import PLENARY
from conference.services import Services
from conference.workshops import phase as phases
from conference.workshops.service import PhaseHooks

router = Router()
MAX_LENGTH = 280

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LENGTH)]


class GallerySave(Payload):
    room: str = Field(min_length=1, max_length=64)
    results: list[Text] = Field(max_length=store.MAX_RESULTS)


class GalleryRoom(Payload):
    room: str = Field(min_length=1, max_length=64)


class ResultRef(Payload):
    id: str = Field(min_length=1, max_length=32)


async def _workshop(ctx: Context, room: str) -> None:
    """A workshop room, also one added on another process a moment ago."""
    known = await ctx.services.rooms.get(room)
    if known is None or not known.is_workshop:
        raise Refused("room.unknown")


@router.on("gallery:save", GallerySave, Permission.FACILITATOR)
async def save(ctx: Context, payload: GallerySave) -> dict[str, Any]:
    """Up to three key results of the room, in order; a published card changes with them
    (corrections keep the upvotes of their position)."""
    await _workshop(ctx, payload.room)
    services = ctx.services
    async with services.db.write() as conn:
        await store.replace(conn, ctx.event_id, payload.room, ctx.person.id, list(payload.results))
        entry = await service.log_card(services, conn, payload.room)
        results = await store.of_room(conn, ctx.event_id, payload.room)
    service.publish_card(services, entry)
    service.tell_managers(services, payload.room, results)
    return {"room": payload.room, "results": results}


@router.on("gallery:publish", GalleryRoom, Permission.FACILITATOR)
async def publish(ctx: Context, payload: GalleryRoom) -> dict[str, Any]:
    """Publish by hand once the workshop phase has closed (closing it publishes them too)."""
    await _workshop(ctx, payload.room)
    services = ctx.services
    async with services.db.read() as conn:
        if (await phases.read(conn, ctx.event_id)).running:
            raise Refused("gallery.phase_running")
        if not await store.of_room(conn, ctx.event_id, payload.room):
            raise Refused("gallery.empty")
    results = await service.publish(services, payload.room)
    return {"room": payload.room, "results": results}


@router.on("gallery:upvote", ResultRef)
async def upvote(ctx: Context, payload: ResultRef) -> dict[str, Any]:
    """Once per person and key result (the primary key says so), from the plenary."""
    ctx.require_joined(PLENARY)
    services = ctx.services
    try:
        async with services.db.write() as conn:
            result = await store.get(conn, ctx.event_id, payload.id)
            if result is None or not result["published_at"]:
                raise Refused("gallery.not_found")
            await store.upvote(conn, payload.id, ctx.person.id)
    except IntegrityError:
        raise Refused("gallery.already_upvoted") from None
    async with services.db.read() as conn:
        votes = await store.count_votes(conn, payload.id)
    services.parts[service.VoteCounts].touch(payload.id)
    return {"id": payload.id, "votes": votes, "voted": True}


async def _shared(
    services: Services, conn: AsyncConnection, room: str, manager: bool
) -> dict[str, Any]:
    """The plenary: the published cards; a workshop room's managers: its key results."""
    if room == PLENARY:
        return {
            "cards": await service.cards(services, conn),
            "max_length": MAX_LENGTH,
        }
    results = await store.of_room(conn, services.event.id, room) if manager else []
    return {"room": room, "results": results, "manage": manager, "max_length": MAX_LENGTH}


async def _personal(ctx: Context, room: str, shared: dict[str, Any]) -> dict[str, Any]:
    """Which key results I upvoted (read only when there are cards)."""
    upvoted: list[str] = []
    if shared.get("cards"):
        upvoted = await ctx.services.parts[store.MyUpvotes].get(ctx.person.id) or []
    return {**shared, "upvoted": upvoted}


@contextlib.asynccontextmanager
async def _lifetime(services: Services) -> AsyncIterator[None]:
    counts = services.parts.add(service.VoteCounts(services))
    services.parts.add(store.MyUpvotes(services.db, services.event.id))
    hooks = services.parts[PhaseHooks].closed
    hooks.append(service.publish_all)
    try:
        yield
    finally:
        hooks.remove(service.publish_all)
        await counts.close()
        services.parts.remove(service.VoteCounts)
        services.parts.remove(store.MyUpvotes)


capability = Capability("gallery", router, shared=_shared, personal=_personal, lifetime=_lifetime)

__all__ = ["capability"]
