"""Key results and their upvotes in SQL; votes are counted from the upvotes."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import new_id
from conference.clock import iso, utcnow
from conference.storage import locks
from conference.storage.batched import BatchedLookup
from conference.storage.db import Database
from conference.storage.tables import key_result_votes, key_results

MAX_RESULTS = 3


def _votes() -> Any:
    return (
        sa.select(sa.func.count())
        .select_from(key_result_votes)
        .where(key_result_votes.c.result_id == key_results.c.id)
        .scalar_subquery()
        .label("votes")
    )


def _select() -> sa.Select[Any]:
    return sa.select(key_results, _votes())


def as_result(row: Any) -> dict[str, Any]:
    """One key result as clients see it (who typed it is not shown)."""
    return {
        "id": row.id,
        "room": row.room,
        "position": int(row.position),
        "text": row.text,
        "votes": int(row.votes),
        "published_at": iso(row.published_at),
    }


async def of_room(conn: AsyncConnection, event_id: str, room: str) -> list[dict[str, Any]]:
    """A room's key results in the order its facilitator wrote them."""
    query = (
        _select()
        .where(key_results.c.event_id == event_id, key_results.c.room == room)
        .order_by(key_results.c.position)
    )
    return [as_result(row) for row in await conn.execute(query)]


async def published(conn: AsyncConnection, event_id: str) -> list[dict[str, Any]]:
    query = _select().where(
        key_results.c.event_id == event_id, key_results.c.published_at.is_not(None)
    )
    return [as_result(row) for row in await conn.execute(query)]


async def get(conn: AsyncConnection, event_id: str, result_id: str) -> dict[str, Any] | None:
    query = _select().where(key_results.c.event_id == event_id, key_results.c.id == result_id)
    row = (await conn.execute(query)).first()
    return as_result(row) if row else None


async def replace(
    conn: AsyncConnection, event_id: str, room: str, person_id: str, texts: list[str]
) -> None:
    """The room's key results become `texts` (position 1, 2, 3): a position keeps its id and
    upvotes when its text is corrected; positions no longer used go, with their upvotes. A
    room already published stays published. Saves and publishing of one room take turns
    (two facilitators saving at once would both insert position 1)."""
    await locks.exclusive(conn, "key_results", event_id, room)
    existing = {r["position"]: r for r in await of_room(conn, event_id, room)}
    published_at = next((r["published_at"] for r in existing.values() if r["published_at"]), None)
    now = utcnow()
    for position, text in enumerate(texts, 1):
        found = existing.pop(position, None)
        if found is None:
            await conn.execute(
                key_results.insert().values(
                    id=new_id(),
                    event_id=event_id,
                    room=room,
                    position=position,
                    text=text,
                    person_id=person_id,
                    published_at=now if published_at else None,
                    created_at=now,
                    updated_at=now,
                )
            )
        elif found["text"] != text:
            await conn.execute(
                key_results.update()
                .where(key_results.c.id == found["id"])
                .values(text=text, person_id=person_id, updated_at=now)
            )
    gone = [r["id"] for r in existing.values()]
    if gone:
        await conn.execute(key_result_votes.delete().where(key_result_votes.c.result_id.in_(gone)))
        await conn.execute(key_results.delete().where(key_results.c.id.in_(gone)))


async def publish(conn: AsyncConnection, event_id: str, room: str) -> bool:
    """Publish the room's key results; False when there was nothing new to publish."""
    await locks.exclusive(conn, "key_results", event_id, room)
    result = await conn.execute(
        key_results.update()
        .where(
            key_results.c.event_id == event_id,
            key_results.c.room == room,
            key_results.c.published_at.is_(None),
        )
        .values(published_at=utcnow())
    )
    return bool(result.rowcount)


async def rooms_with_drafts(conn: AsyncConnection, event_id: str) -> list[str]:
    query = (
        sa.select(key_results.c.room)
        .where(key_results.c.event_id == event_id, key_results.c.published_at.is_(None))
        .distinct()
    )
    return [row.room for row in await conn.execute(query)]


async def upvote(conn: AsyncConnection, result_id: str, person_id: str) -> None:
    """Raises IntegrityError when the person upvoted it already."""
    await conn.execute(
        key_result_votes.insert().values(
            result_id=result_id, person_id=person_id, created_at=utcnow()
        )
    )


async def count_votes(conn: AsyncConnection, result_id: str) -> int:
    query = (
        sa.select(sa.func.count())
        .select_from(key_result_votes)
        .where(key_result_votes.c.result_id == result_id)
    )
    return int((await conn.execute(query)).scalar_one())


async def upvotes_of_people(
    conn: AsyncConnection, event_id: str, person_ids: list[str]
) -> dict[str, list[str]]:
    """Per person, the key results they upvoted."""
    query = (
        sa.select(key_result_votes.c.person_id, key_result_votes.c.result_id)
        .join(key_results, key_results.c.id == key_result_votes.c.result_id)
        .where(key_results.c.event_id == event_id, key_result_votes.c.person_id.in_(person_ids))
    )
    found: dict[str, list[str]] = {p: [] for p in person_ids}
    for row in await conn.execute(query):
        found[row.person_id].append(row.result_id)
    return found


class MyUpvotes(BatchedLookup[str, list[str]]):
    """`upvotes_of_people` in batches (a storm of joins to a plenary showing the gallery)."""

    def __init__(self, db: Database, event_id: str) -> None:
        async def fetch(conn: AsyncConnection, person_ids: list[str]) -> dict[str, list[str]]:
            return await upvotes_of_people(conn, event_id, person_ids)

        super().__init__(db, fetch)
