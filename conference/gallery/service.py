"""The gallery's rules: cards per workshop in the order of their votes, publishing (when the
workshop phase closes, or by hand after it), and the coalesced vote counts."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.gallery import store
from conference.realtime import audiences, room_log
from conference.realtime.coalesce import Coalescer
from conference.rooms.registry import PLENARY
from conference.services import Services

log = logging.getLogger(__name__)

CARD = "gallery:card"  # logged on the plenary: a workshop's card appeared or changed
VOTES = "gallery:votes"  # volatile: a key result's vote count


def ranked(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Most votes first; ties keep the facilitator's order."""
    return sorted(results, key=lambda r: (-r["votes"], r["position"]))


def card(services: Services, room: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    known = services.rooms.known(room)
    return {
        "room": room,
        "title": known.title if known else room,
        "facilitator": known.facilitator if known else "",
        "position": known.position if known else 0,
        "results": ranked(results),
        "votes": sum(r["votes"] for r in results),
        "published_at": min((r["published_at"] or "" for r in results), default=None),
    }


def cards_of(services: Services, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One card per workshop, the workshop with the most votes first."""
    by_room: dict[str, list[dict[str, Any]]] = {}
    for result in results:
        by_room.setdefault(result["room"], []).append(result)
    cards = [card(services, room, found) for room, found in by_room.items()]
    return sorted(cards, key=lambda c: (-c["votes"], c["position"], c["room"]))


async def cards(services: Services, conn: AsyncConnection) -> list[dict[str, Any]]:
    return cards_of(services, await store.published(conn, services.event.id))


async def log_card(services: Services, conn: AsyncConnection, room: str) -> room_log.Entry | None:
    """Log the room's card on the plenary if it is published; call inside the write block."""
    results = await store.of_room(conn, services.event.id, room)
    if not results or not results[0]["published_at"]:
        return None
    return await room_log.append(
        conn, services.event.id, PLENARY, CARD, {"card": card(services, room, results)}
    )


def publish_card(services: Services, entry: room_log.Entry | None) -> None:
    """The plenary and the presenter views see the new card."""
    if entry is None:
        return
    event_id = services.event.id
    services.publisher.send(entry, audiences.room(event_id, PLENARY))
    services.publisher.send(entry, audiences.presenters(event_id))


def tell_managers(services: Services, room: str, results: list[dict[str, Any]]) -> None:
    """The room's facilitators and the moderators see what was saved or published."""
    services.publisher.send_volatile(
        "gallery:changed",
        {"room": room, "results": results},
        audiences.managers(services.event.id, room),
    )


async def publish(services: Services, room: str) -> list[dict[str, Any]]:
    """Publish one room's key results (nothing happens when they are published already)."""
    async with services.db.write() as conn:
        changed = await store.publish(conn, services.event.id, room)
        entry = await log_card(services, conn, room) if changed else None
        results = await store.of_room(conn, services.event.id, room)
    publish_card(services, entry)
    if changed:
        tell_managers(services, room, results)
    return results


async def publish_all(services: Services) -> None:
    """The workshop phase closed: every room's saved key results are published."""
    async with services.db.read() as conn:
        rooms = await store.rooms_with_drafts(conn, services.event.id)
    for room in rooms:
        try:
            await publish(services, room)
        except Exception:
            log.exception("publishing the key results of %s failed", room)


class VoteCounts(Coalescer):
    """This process's coalesced `gallery:votes`: a few per second and key result at most."""

    def __init__(self, services: Services) -> None:
        async def send(result_id: str) -> None:
            async with services.db.read() as conn:
                result = await store.get(conn, services.event.id, result_id)
            if result is None:
                return
            data = {"id": result_id, "workshop": result["room"], "votes": result["votes"]}
            event_id = services.event.id
            for audience in (
                audiences.room(event_id, PLENARY),
                audiences.presenters(event_id),
                audiences.managers(event_id, result["room"]),
            ):
                services.publisher.send_volatile(VOTES, data, audience)

        super().__init__(services.state, services.process_id, "gallery-votes", send)
