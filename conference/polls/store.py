"""Polls and votes in SQL. Tallies are counted from the records, never kept as numbers."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import new_id
from conference.clock import iso, utcnow
from conference.storage.batched import BatchedLookup
from conference.storage.db import Database
from conference.storage.tables import people, poll_answers, poll_votes, polls


def as_poll(row: Any) -> dict[str, Any]:
    """The poll as clients see it."""
    return {
        "id": row.id,
        "room": row.room,
        "key": row.key,
        "kind": row.kind,
        "question": row.question,
        "options": row.options,
        "settings": row.settings,
        "status": row.status,
        "revealed": bool(row.revealed),
        "opened_at": iso(row.opened_at),
        "closes_at": iso(row.closes_at),
        "closed_at": iso(row.closed_at),
        "created_at": iso(row.created_at),
    }


def answer_ref(poll_id: str, person_id: str) -> str:
    """An opaque name of one open-text answer (the person stays unnamed)."""
    return hashlib.sha256(f"{poll_id}:{person_id}".encode()).hexdigest()[:16]


async def insert(
    conn: AsyncConnection,
    *,
    event_id: str,
    room: str,
    kind: str,
    question: str,
    options: list[dict[str, str]],
    settings: dict[str, Any],
    key: str | None = None,
) -> str:
    poll_id = new_id()
    await conn.execute(
        polls.insert().values(
            id=poll_id,
            event_id=event_id,
            room=room,
            key=key,
            kind=kind,
            question=question,
            options=options,
            settings=settings,
            status="draft",
            revealed=False,
            created_at=utcnow(),
        )
    )
    return poll_id


async def get(conn: AsyncConnection, event_id: str, poll_id: str, *, share: bool = False) -> Any:
    """A poll of this event that was not deleted; `share` locks it against a concurrent close."""
    query = sa.select(polls).where(
        polls.c.event_id == event_id, polls.c.id == poll_id, polls.c.deleted_at.is_(None)
    )
    if share:
        query = query.with_for_update(read=True)
    return (await conn.execute(query)).first()


async def by_key(conn: AsyncConnection, event_id: str, key: str) -> Any:
    query = sa.select(polls.c.id, polls.c.status).where(
        polls.c.event_id == event_id, polls.c.key == key
    )
    return (await conn.execute(query)).first()


async def in_room(conn: AsyncConnection, event_id: str, room: str, *, drafts: bool) -> list[Any]:
    query = (
        sa.select(polls)
        .where(polls.c.event_id == event_id, polls.c.room == room, polls.c.deleted_at.is_(None))
        .order_by(polls.c.created_at)
    )
    if not drafts:
        query = query.where(polls.c.status != "draft")
    return list(await conn.execute(query))


async def latest_shown(conn: AsyncConnection, event_id: str, room: str) -> Any:
    """The poll the presenter view shows: the one opened last that is open or closed."""
    query = (
        sa.select(polls)
        .where(
            polls.c.event_id == event_id,
            polls.c.room == room,
            polls.c.deleted_at.is_(None),
            polls.c.status != "draft",
        )
        .order_by(polls.c.opened_at.desc())
        .limit(1)
    )
    return (await conn.execute(query)).first()


async def due(conn: AsyncConnection, event_id: str, now: dt.datetime) -> list[str]:
    query = sa.select(polls.c.id).where(
        polls.c.event_id == event_id,
        polls.c.status == "open",
        polls.c.deleted_at.is_(None),
        polls.c.closes_at.is_not(None),
        polls.c.closes_at <= now,
    )
    return [row.id for row in await conn.execute(query)]


async def set_status(
    conn: AsyncConnection, poll_id: str, *, from_: tuple[str, ...], **values: Any
) -> bool:
    """Change a poll only from the given statuses; False when another change came first."""
    result = await conn.execute(
        polls.update().where(polls.c.id == poll_id, polls.c.status.in_(from_)).values(**values)
    )
    return bool(result.rowcount)


async def update(conn: AsyncConnection, poll_id: str, **values: Any) -> None:
    await conn.execute(polls.update().where(polls.c.id == poll_id).values(**values))


async def replace_vote(
    conn: AsyncConnection, poll_id: str, person_id: str, answer: dict[str, Any], values: list[str]
) -> bool:
    """Change an existing vote (polls that allow it); False when there is none."""
    result = await conn.execute(
        poll_votes.update()
        .where(poll_votes.c.poll_id == poll_id, poll_votes.c.person_id == person_id)
        .values(answer=answer, shown=False, updated_at=utcnow())
    )
    if not result.rowcount:
        return False
    await conn.execute(
        poll_answers.delete().where(
            poll_answers.c.poll_id == poll_id, poll_answers.c.person_id == person_id
        )
    )
    if values:
        await conn.execute(
            poll_answers.insert(),
            [{"poll_id": poll_id, "person_id": person_id, "value": v} for v in values],
        )
    return True


async def my_vote(conn: AsyncConnection, poll_id: str, person_id: str) -> dict[str, Any] | None:
    query = sa.select(poll_votes.c.answer).where(
        poll_votes.c.poll_id == poll_id, poll_votes.c.person_id == person_id
    )
    row = (await conn.execute(query)).first()
    return dict(row.answer) if row else None


async def votes_of_people(
    conn: AsyncConnection, poll_ids: list[str], person_ids: list[str]
) -> dict[str, dict[str, dict[str, Any]]]:
    """Per person, their answer in each of these polls they voted in."""
    found: dict[str, dict[str, dict[str, Any]]] = {p: {} for p in person_ids}
    if not poll_ids:
        return found
    query = sa.select(poll_votes.c.person_id, poll_votes.c.poll_id, poll_votes.c.answer).where(
        poll_votes.c.poll_id.in_(poll_ids), poll_votes.c.person_id.in_(person_ids)
    )
    for row in await conn.execute(query):
        found[row.person_id][row.poll_id] = dict(row.answer)
    return found


class MyVotes(BatchedLookup[tuple[str, tuple[str, ...]], dict[str, dict[str, Any]]]):
    """A person's votes in a room's polls, keyed (person, poll ids), read in batches: a storm
    of joins costs a query per batch instead of one per person."""

    def __init__(self, db: Database) -> None:
        async def fetch(
            conn: AsyncConnection, keys: list[tuple[str, tuple[str, ...]]]
        ) -> dict[tuple[str, tuple[str, ...]], dict[str, dict[str, Any]]]:
            poll_ids = sorted({poll_id for _, ids in keys for poll_id in ids})
            by_person = await votes_of_people(conn, poll_ids, list({p for p, _ in keys}))
            return {
                (person_id, ids): {
                    poll_id: vote
                    for poll_id, vote in by_person[person_id].items()
                    if poll_id in ids
                }
                for person_id, ids in keys
            }

        super().__init__(db, fetch)


async def tally(conn: AsyncConnection, poll_id: str) -> tuple[int, dict[str, int]]:
    """(voters, count per value), counted from the votes as committed."""
    voters = (
        await conn.execute(
            sa.select(sa.func.count())
            .select_from(poll_votes)
            .where(poll_votes.c.poll_id == poll_id)
        )
    ).scalar_one()
    if not voters:
        kept = await kept_results(conn, [poll_id])
        if poll_id in kept:
            return kept[poll_id]
    query = (
        sa.select(poll_answers.c.value, sa.func.count().label("n"))
        .where(poll_answers.c.poll_id == poll_id)
        .group_by(poll_answers.c.value)
    )
    return int(voters), {row.value: int(row.n) for row in await conn.execute(query)}


async def kept_results(
    conn: AsyncConnection, poll_ids: list[str]
) -> dict[str, tuple[int, dict[str, int]]]:
    """The aggregated tallies kept after the answers were deleted (conference/polls/privacy.py)."""
    query = sa.select(polls.c.id, polls.c.kept_results).where(
        polls.c.id.in_(poll_ids), polls.c.kept_results.is_not(None)
    )
    return {
        row.id: (int(row.kept_results["voters"]), dict(row.kept_results["counts"]))
        for row in await conn.execute(query)
    }


async def tallies(
    conn: AsyncConnection, poll_ids: list[str]
) -> dict[str, tuple[int, dict[str, int]]]:
    """`tally` of several polls in two queries (for room snapshots)."""
    found: dict[str, tuple[int, dict[str, int]]] = {poll_id: (0, {}) for poll_id in poll_ids}
    if not poll_ids:
        return found
    voters = (
        sa.select(poll_votes.c.poll_id, sa.func.count().label("n"))
        .where(poll_votes.c.poll_id.in_(poll_ids))
        .group_by(poll_votes.c.poll_id)
    )
    for row in await conn.execute(voters):
        found[row.poll_id] = (int(row.n), {})
    counts = (
        sa.select(poll_answers.c.poll_id, poll_answers.c.value, sa.func.count().label("n"))
        .where(poll_answers.c.poll_id.in_(poll_ids))
        .group_by(poll_answers.c.poll_id, poll_answers.c.value)
    )
    for row in await conn.execute(counts):
        found[row.poll_id][1][row.value] = int(row.n)
    unvoted = [poll_id for poll_id, (n, _) in found.items() if n == 0]
    if unvoted:
        found.update(await kept_results(conn, unvoted))
    return found


async def open_answers(conn: AsyncConnection, poll_id: str) -> list[dict[str, Any]]:
    """Open-text answers, oldest first, with whether the moderator showed them."""
    query = (
        sa.select(poll_votes.c.person_id, poll_votes.c.answer, poll_votes.c.shown)
        .where(poll_votes.c.poll_id == poll_id)
        .order_by(poll_votes.c.created_at)
    )
    answers = [
        {
            "ref": answer_ref(poll_id, row.person_id),
            "text": str(row.answer.get("text", "")),
            "shown": bool(row.shown),
        }
        for row in await conn.execute(query)
    ]
    if not answers:
        kept = sa.select(polls.c.kept_results).where(polls.c.id == poll_id)
        results = (await conn.execute(kept)).scalar()
        if results:
            answers = [dict(answer) for answer in results.get("answers", [])]
    return answers


async def show_answers(conn: AsyncConnection, poll_id: str, refs: set[str] | None) -> int:
    """Show the open-text answers named by `refs` (all of them when None)."""
    query = sa.select(poll_votes.c.person_id).where(poll_votes.c.poll_id == poll_id)
    persons = [
        row.person_id
        for row in await conn.execute(query)
        if refs is None or answer_ref(poll_id, row.person_id) in refs
    ]
    if persons:
        await conn.execute(
            poll_votes.update()
            .where(poll_votes.c.poll_id == poll_id, poll_votes.c.person_id.in_(persons))
            .values(shown=True)
        )
    return len(persons)


async def individual_answers(conn: AsyncConnection, poll_id: str) -> list[dict[str, Any]]:
    """Every vote with its author (for the export of polls that are not anonymous)."""
    query = (
        sa.select(
            people.c.name,
            people.c.organisation,
            people.c.anonymised_at,
            poll_votes.c.answer,
            poll_votes.c.created_at,
            poll_votes.c.updated_at,
        )
        .join(people, people.c.id == poll_votes.c.person_id)
        .where(poll_votes.c.poll_id == poll_id)
        .order_by(poll_votes.c.created_at)
    )
    return [
        {
            "name": row.name,
            "organisation": row.organisation,
            **({"deleted": True} if row.anonymised_at is not None else {}),
            "answer": dict(row.answer),
            "created_at": iso(row.created_at),
            "updated_at": iso(row.updated_at),
        }
        for row in await conn.execute(query)
    ]


async def of_event(conn: AsyncConnection, event_id: str) -> list[dict[str, Any]]:
    """Every poll that was opened (not deleted), in the order they were opened."""
    query = (
        sa.select(polls)
        .where(
            polls.c.event_id == event_id,
            polls.c.deleted_at.is_(None),
            polls.c.status != "draft",
        )
        .order_by(polls.c.opened_at, polls.c.created_at)
    )
    return [as_poll(row) for row in await conn.execute(query)]


async def voter_ids(conn: AsyncConnection, poll_ids: list[str]) -> dict[str, set[str]]:
    """Who voted in each poll (for the turnout: voters count whether or not they are still
    present)."""
    found: dict[str, set[str]] = {poll_id: set() for poll_id in poll_ids}
    if not poll_ids:
        return found
    query = sa.select(poll_votes.c.poll_id, poll_votes.c.person_id).where(
        poll_votes.c.poll_id.in_(poll_ids)
    )
    for row in await conn.execute(query):
        found[row.poll_id].add(row.person_id)
    return found


async def managers(conn: AsyncConnection, event_id: str, room: str) -> set[str]:
    """Who manages the room (moderators, administrators, the room's facilitators): they run
    the polls and are not counted among those who could vote."""
    query = sa.select(people.c.id).where(
        people.c.event_id == event_id,
        sa.or_(
            people.c.role.in_(("moderator", "admin")),
            sa.and_(people.c.role == "facilitator", people.c.room == room),
        ),
    )
    return {row.id for row in await conn.execute(query)}
