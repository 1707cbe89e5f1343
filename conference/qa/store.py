"""Questions and their upvotes in SQL; the vote count is counted from the upvotes."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import new_id
from conference.clock import iso, utcnow
from conference.storage.batched import BatchedLookup
from conference.storage.db import Database
from conference.storage.tables import people, question_votes, questions

VISIBLE = ("approved", "answered")
Mine = tuple[list[dict[str, Any]], list[str]]  # the questions I asked, the ids I upvoted


def _votes() -> Any:
    return (
        sa.select(sa.func.count())
        .select_from(question_votes)
        .where(question_votes.c.question_id == questions.c.id)
        .scalar_subquery()
        .label("votes")
    )


def _select() -> sa.Select[Any]:
    return sa.select(
        questions,
        _votes(),
        people.c.name.label("author_name"),
        people.c.organisation,
        people.c.anonymised_at,
    ).join(people, people.c.id == questions.c.person_id)


def _author(row: Any) -> dict[str, Any] | None:
    """Who asked, unless asked anonymously; a withdrawn or expired asker is only `deleted`."""
    if row.anonymous:
        return None
    if row.anonymised_at is not None:
        return {"name": "", "organisation": "", "deleted": True}
    return {"name": row.author_name, "organisation": row.organisation}


def as_question(row: Any) -> dict[str, Any]:
    """The question as clients see it: the author only when not asked anonymously."""
    return {
        "id": row.id,
        "room": row.room,
        "body": row.body,
        "status": row.status,
        "pinned": bool(row.pinned),
        "votes": int(row.votes),
        "anonymous": bool(row.anonymous),
        "author": _author(row),
        "created_at": iso(row.created_at),
        "edited_at": iso(row.edited_at),
    }


async def insert(
    conn: AsyncConnection,
    *,
    event_id: str,
    room: str,
    person_id: str,
    body: str,
    anonymous: bool,
    status: str,
) -> str:
    question_id = new_id()
    await conn.execute(
        questions.insert().values(
            id=question_id,
            event_id=event_id,
            room=room,
            person_id=person_id,
            anonymous=anonymous,
            body=body,
            status=status,
            pinned=False,
            created_at=utcnow(),
        )
    )
    return question_id


async def get(conn: AsyncConnection, event_id: str, question_id: str) -> Any:
    query = _select().where(questions.c.event_id == event_id, questions.c.id == question_id)
    return (await conn.execute(query)).first()


async def update(conn: AsyncConnection, question_id: str, **values: Any) -> None:
    await conn.execute(questions.update().where(questions.c.id == question_id).values(**values))


async def unpin_room(conn: AsyncConnection, event_id: str, room: str) -> None:
    await conn.execute(
        questions.update()
        .where(
            questions.c.event_id == event_id,
            questions.c.room == room,
            questions.c.pinned == sa.true(),
        )
        .values(pinned=False)
    )


async def _in_room_where(
    conn: AsyncConnection, event_id: str, room: str, condition: Any
) -> list[dict[str, Any]]:
    query = (
        _select()
        .where(questions.c.event_id == event_id, questions.c.room == room, condition)
        .order_by(questions.c.created_at)
    )
    return [as_question(row) for row in await conn.execute(query)]


async def in_room(
    conn: AsyncConnection, event_id: str, room: str, *, held: bool
) -> list[dict[str, Any]]:
    """Approved and answered questions, and the held ones too for moderators (`held`)."""
    statuses = (*VISIBLE, "held") if held else VISIBLE
    return await _in_room_where(conn, event_id, room, questions.c.status.in_(statuses))


async def count_in_room(conn: AsyncConnection, event_id: str, room: str) -> int:
    """Questions of every status, asked in the room."""
    query = (
        sa.select(sa.func.count())
        .select_from(questions)
        .where(questions.c.event_id == event_id, questions.c.room == room)
    )
    return int((await conn.execute(query)).scalar() or 0)


async def pinned(conn: AsyncConnection, event_id: str, room: str) -> dict[str, Any] | None:
    query = _select().where(
        questions.c.event_id == event_id,
        questions.c.room == room,
        questions.c.pinned == sa.true(),
        questions.c.status.in_(VISIBLE),
    )
    row = (await conn.execute(query)).first()
    return as_question(row) if row else None


async def of_people(
    conn: AsyncConnection, event_id: str, room: str, person_ids: list[str]
) -> dict[str, Mine]:
    """For each person: the questions they asked in the room, whatever their status, and the
    ids of those they upvoted; two queries for everyone."""
    found: dict[str, Mine] = {p: ([], []) for p in person_ids}
    query = (
        _select()
        .add_columns(questions.c.person_id.label("asker"))
        .where(
            questions.c.event_id == event_id,
            questions.c.room == room,
            questions.c.person_id.in_(person_ids),
        )
        .order_by(questions.c.created_at)
    )
    for row in await conn.execute(query):
        found[row.asker][0].append(as_question(row))
    query = (
        sa.select(question_votes.c.person_id, question_votes.c.question_id)
        .join(questions, questions.c.id == question_votes.c.question_id)
        .where(
            questions.c.event_id == event_id,
            questions.c.room == room,
            question_votes.c.person_id.in_(person_ids),
        )
    )
    for row in await conn.execute(query):
        found[row.person_id][1].append(row.question_id)
    return found


class MineLookup(BatchedLookup[tuple[str, str], Mine]):
    """`of_people` by (room, person) in batches: a storm of joins (10:00, or everyone coming
    back after a restart) costs a few queries instead of two per person."""

    def __init__(self, db: Database, event_id: str) -> None:
        async def fetch(
            conn: AsyncConnection, keys: list[tuple[str, str]]
        ) -> dict[tuple[str, str], Mine]:
            by_room: dict[str, list[str]] = {}
            for room, person_id in keys:
                by_room.setdefault(room, []).append(person_id)
            found: dict[tuple[str, str], Mine] = {}
            for room, person_ids in by_room.items():
                for person_id, mine in (await of_people(conn, event_id, room, person_ids)).items():
                    found[(room, person_id)] = mine
            return found

        super().__init__(db, fetch)


async def upvote(conn: AsyncConnection, question_id: str, person_id: str) -> None:
    """Raises IntegrityError when the person upvoted it already."""
    await conn.execute(
        question_votes.insert().values(
            question_id=question_id, person_id=person_id, created_at=utcnow()
        )
    )


async def unvote(conn: AsyncConnection, question_id: str, person_id: str) -> None:
    await conn.execute(
        question_votes.delete().where(
            question_votes.c.question_id == question_id, question_votes.c.person_id == person_id
        )
    )


async def count_votes(conn: AsyncConnection, question_id: str) -> int:
    query = (
        sa.select(sa.func.count())
        .select_from(question_votes)
        .where(question_votes.c.question_id == question_id)
    )
    return int((await conn.execute(query)).scalar_one())


async def export(conn: AsyncConnection, event_id: str) -> list[dict[str, Any]]:
    """Every question of the event with its votes and status (the export)."""
    query = (
        _select()
        .where(questions.c.event_id == event_id)
        .order_by(questions.c.room, questions.c.created_at)
    )
    return [as_question(row) for row in await conn.execute(query)]
