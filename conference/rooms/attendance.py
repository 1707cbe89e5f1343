"""Attendance: who was in which room when, for the event report.

Every join of a room opens a visit and every leave (or disconnect) closes it. Visits are written
in batches, about once a second, so a join storm costs one transaction a second rather than
one per person. Nothing here is acknowledged to anyone; when the app stops, the open visits of
this process are closed at that moment.

While a visit is open, its `left_at` says until when it was seen: every `seen_seconds` the
process moves it on for all its open visits. So a process that dies (SIGKILL, a crash, a lost
host) leaves its visits ended at most that long before it died, not open until the report is
built days later.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from dataclasses import dataclass

import sqlalchemy as sa

from conference.auth.people import Person, new_id
from conference.clock import utcnow
from conference.storage.db import Database
from conference.storage.tables import attendance, people

log = logging.getLogger(__name__)

FLUSH_SECONDS = 1.0
SEEN_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class _Entry:
    visit: str
    room: str
    person_id: str
    role: str
    at: dt.datetime


class Attendance:
    """This process's visits, queued and written in batches."""

    def __init__(
        self,
        db: Database,
        event_id: str,
        *,
        interval: float = FLUSH_SECONDS,
        seen_seconds: float = SEEN_SECONDS,
    ) -> None:
        self._db = db
        self._event_id = event_id
        self._interval = interval
        self._seen_seconds = seen_seconds
        self._entries: list[_Entry] = []
        self._exits: dict[str, dt.datetime] = {}
        self._open: set[str] = set()
        self._seen_at = utcnow()

    def enter(self, room: str, person: Person) -> str:
        """Open a visit; returns its id, which `leave` closes."""
        visit = new_id()
        self._entries.append(_Entry(visit, room, person.id, person.role, utcnow()))
        self._open.add(visit)
        return visit

    def leave(self, visit: str) -> None:
        if visit in self._open:
            self._open.discard(visit)
            self._exits[visit] = utcnow()

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.flush()
            except Exception:
                log.exception("writing attendance failed; retrying")

    def _seen(self) -> dict[str, dt.datetime]:
        """The open visits' `left_at` moved on to now, once every `seen_seconds`."""
        now = utcnow()
        if not self._open or (now - self._seen_at).total_seconds() < self._seen_seconds:
            return {}
        self._seen_at = now
        return dict.fromkeys(self._open, now)

    async def flush(self) -> None:
        entries, exits = self._entries, {**self._seen(), **self._exits}
        if not entries and not exits:
            return
        self._entries, self._exits = [], {}
        try:
            async with self._db.write() as conn:
                if entries:
                    # a person deleted meanwhile (their registration's retention ended) takes
                    # their visits along, instead of failing the batch again and again
                    wanted = {e.person_id for e in entries}
                    found = await conn.execute(
                        sa.select(people.c.id).where(people.c.id.in_(wanted))
                    )
                    alive = {row.id for row in found}
                    entries = [e for e in entries if e.person_id in alive]
                if entries:
                    await conn.execute(
                        attendance.insert(),
                        [
                            {
                                "id": e.visit,
                                "event_id": self._event_id,
                                "room": e.room,
                                "person_id": e.person_id,
                                "role": e.role,
                                "entered_at": e.at,
                            }
                            for e in entries
                        ],
                    )
                if exits:
                    await conn.execute(
                        attendance.update()
                        .where(attendance.c.id == sa.bindparam("visit"))
                        .values(left_at=sa.bindparam("at")),
                        [{"visit": visit, "at": at} for visit, at in exits.items()],
                    )
        except BaseException:
            # keep them for the next try (entries first, so exits find their rows)
            self._entries = entries + self._entries
            self._exits = {**exits, **self._exits}
            raise

    async def close(self) -> None:
        """Close this process's open visits now and write everything."""
        for visit in list(self._open):
            self.leave(visit)
        with contextlib.suppress(Exception):
            await self.flush()
