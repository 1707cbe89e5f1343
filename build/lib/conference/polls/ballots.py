"""Group commit of votes: the votes that arrive while one transaction runs go into the next.

A vote storm (everyone votes in the last seconds) would otherwise cost one write transaction,
and one tally for the ack, per vote. Here a batch loads each poll once, finds earlier votes
with one query, inserts the new ones with one statement, commits once, and counts each poll's
results once for all the acks of the batch. One vote per person stays the database's rule:
the primary key of `poll_votes`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import Person
from conference.clock import utcnow
from conference.polls import service, store
from conference.polls.rules import Vote
from conference.realtime.errors import Refused
from conference.services import Services
from conference.storage.tables import poll_answers, poll_votes

BATCH = 500

Validate = Callable[[dict[str, Any] | None], Vote]


@dataclass
class Ballot:
    """One `poll:vote` waiting for its transaction; `validate` raises Refused for a bad vote."""

    person: Person
    poll_id: str
    validate: Validate
    done: asyncio.Future[tuple[dict[str, Any], Vote, dict[str, Any] | None]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class BallotBox:
    """This process's queue of votes, written by one task in batches."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._waiting: list[Ballot] = []
        self._writer: asyncio.Task[None] | None = None

    async def cast(
        self, person: Person, poll_id: str, validate: Validate
    ) -> tuple[dict[str, Any], Vote, dict[str, Any] | None]:
        """(poll, the stored vote, results for the ack or None) once committed."""
        ballot = Ballot(person, poll_id, validate)
        self._waiting.append(ballot)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="ballot-box")
        return await ballot.done

    async def close(self) -> None:
        """Let the votes already cast be committed and answered (the app is stopping)."""
        if self._writer is not None:
            await asyncio.gather(self._writer, return_exceptions=True)

    async def _write(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:BATCH], self._waiting[BATCH:]
            try:
                await self._commit(batch)
            except IntegrityError:
                # another process inserted the same vote meanwhile (PostgreSQL): one by one
                for ballot in batch:
                    if not ballot.done.done():
                        await self._commit_alone(ballot)
            except Exception as exc:
                for ballot in batch:
                    if not ballot.done.done():
                        ballot.done.set_exception(exc)

    async def _commit_alone(self, ballot: Ballot) -> None:
        try:
            await self._commit([ballot])
        except IntegrityError:
            if not ballot.done.done():
                ballot.done.set_exception(Refused("poll.already_voted"))
        except Exception as exc:
            if not ballot.done.done():
                ballot.done.set_exception(exc)

    async def _commit(self, batch: list[Ballot]) -> None:
        accepted: list[tuple[Ballot, dict[str, Any], Vote]] = []
        async with self.services.db.write() as conn:
            polls = await self._polls(conn, {b.poll_id for b in batch})
            for ballot in batch:
                try:
                    poll = polls.get(ballot.poll_id)
                    accepted.append((ballot, poll or {}, ballot.validate(poll)))
                except Refused as refused:
                    ballot.done.set_exception(refused)
            accepted = await self._store(conn, accepted)
        await self._answer(accepted)

    async def _polls(self, conn: AsyncConnection, ids: set[str]) -> dict[str, dict[str, Any]]:
        found = {}
        for poll_id in ids:
            row = await store.get(conn, self.services.event.id, poll_id, share=True)
            if row is not None:
                found[poll_id] = store.as_poll(row)
        return found

    async def _store(
        self, conn: AsyncConnection, accepted: list[tuple[Ballot, dict[str, Any], Vote]]
    ) -> list[tuple[Ballot, dict[str, Any], Vote]]:
        """Insert the new votes, replace changed ones, refuse second ones; returns those kept."""
        if not accepted:
            return []
        earlier = await conn.execute(
            sa.select(poll_votes.c.poll_id, poll_votes.c.person_id).where(
                poll_votes.c.poll_id.in_({b.poll_id for b, _, _ in accepted}),
                poll_votes.c.person_id.in_({b.person.id for b, _, _ in accepted}),
            )
        )
        stored = {(row.poll_id, row.person_id) for row in earlier}
        kept: list[tuple[Ballot, dict[str, Any], Vote]] = []
        new: dict[tuple[str, str], Vote] = {}  # first votes of this batch, the latest wins
        for ballot, poll, vote in accepted:
            key = (poll["id"], ballot.person.id)
            if key in stored or key in new:
                if not poll["settings"].get("allow_change"):
                    ballot.done.set_exception(Refused("poll.already_voted"))
                    continue
                if key in new:
                    new[key] = vote
                else:
                    await store.replace_vote(conn, key[0], key[1], vote.answer, vote.values)
            else:
                new[key] = vote
            kept.append((ballot, poll, vote))
        now = utcnow()
        if new:
            await conn.execute(
                poll_votes.insert(),
                [
                    {
                        "poll_id": p,
                        "person_id": who,
                        "answer": v.answer,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for (p, who), v in new.items()
                ],
            )
        answers = [
            {"poll_id": p, "person_id": who, "value": value}
            for (p, who), v in new.items()
            for value in v.values
        ]
        if answers:
            await conn.execute(poll_answers.insert(), answers)
        return kept

    async def _answer(self, kept: list[tuple[Ballot, dict[str, Any], Vote]]) -> None:
        """After the commit: each voter's ack, with results counted once per poll."""
        public: dict[str, dict[str, Any]] = {}
        async with self.services.db.read() as conn:
            for ballot, poll, vote in kept:
                results = None
                if service.may_see(poll, ballot.person, voted=True):
                    if ballot.person.manages(poll["room"]):
                        results = await service.results(self.services, conn, poll, moderator=True)
                    else:
                        if poll["id"] not in public:
                            public[poll["id"]] = await service.results(self.services, conn, poll)
                        results = public[poll["id"]]
                with contextlib.suppress(asyncio.InvalidStateError):
                    ballot.done.set_result((poll, vote, results))
