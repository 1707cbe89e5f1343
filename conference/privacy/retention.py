"""The deletion job: each kind of personal data is deleted when its retention period ends.

It runs inside the server (one process at a time: a room-state lease) every
CONFERENCE_DELETION_INTERVAL_SECONDS, and by hand as `conference purge`. Each run deletes
every kind that is due, so a run that was missed (the server was down) is caught up by the
next; deleting what is already gone costs a few empty statements.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.events import state_store
from conference.events.model import RETENTION_KINDS, Event, RetentionKind
from conference.privacy.declaration import Expiring, Forgetting, forgetting_lock
from conference.privacy.registry import PERSONAL_DATA
from conference.state.base import RoomState
from conference.storage.db import Database
from conference.storage.tables import people

if TYPE_CHECKING:
    from conference.services import Services

log = logging.getLogger(__name__)

LEASE = "privacy:deletion"
RECORD_KEY = "privacy:deletions"  # event_state: what was deleted when (counts, no names)


@dataclass(frozen=True, slots=True)
class Run:
    """What one run found due and deleted."""

    due: tuple[RetentionKind, ...]
    deleted: dict[str, int]  # rows deleted or anonymised per declaration
    forgetting: Forgetting | None = None  # what to tell the rooms, if anyone is still there


def due_kinds(event: Event, now: dt.datetime) -> tuple[RetentionKind, ...]:
    return tuple(kind for kind in RETENTION_KINDS if event.deletion_due(kind) <= now)


def next_due(event: Event, now: dt.datetime) -> dt.datetime | None:
    """When the next kind that is not due yet will be."""
    later = [event.deletion_due(kind) for kind in RETENTION_KINDS]
    return min((at for at in later if at > now), default=None)


async def delete_due(
    db: Database,
    state: RoomState,
    event: Event,
    rooms: list[str],
    now: dt.datetime,
    *,
    kinds: tuple[RetentionKind, ...] | None = None,
    by: str = "",
) -> Run:
    """Delete every kind of the event's personal data that is due at `now` (or `kinds`),
    in one transaction; record the counts in the event's state."""
    due = due_kinds(event, now) if kinds is None else kinds
    deleted: dict[str, int] = {}
    forgetting: Forgetting | None = None
    if not due:
        return Run(due, deleted)
    expiring = Expiring(event_id=event.id, now=now)
    async with db.write() as conn:
        if "registrations" in due:
            # the names go from everything that keeps them, as if everyone withdrew
            ids = await named_people(conn, event.id)
            if ids:
                await forgetting_lock(conn, event.id)
                forgetting = Forgetting(event_id=event.id, person_ids=ids, now=now)
                for declaration in PERSONAL_DATA:
                    await declaration.forget(conn, forgetting)
        for declaration in reversed(PERSONAL_DATA):
            if declaration.kind in due:
                deleted[declaration.name] = await declaration.expire(conn, expiring)
        if forgetting is not None:
            deleted[PERSONAL_DATA[0].name] += len(forgetting.person_ids)
        if any(deleted.values()):
            record: dict[str, Any] = (await state_store.get_all(conn, event.id)).get(
                RECORD_KEY
            ) or {}
            for name, rows in deleted.items():
                if rows:
                    before = record.get(name, {}).get("rows", 0)
                    record[name] = {"at": now.isoformat(), "rows": before + rows, "by": by}
            await state_store.put(conn, event.id, RECORD_KEY, record)
    if "registrations" in due:
        # presence entries carry person ids; they expire on their own, this is for certain
        for room in rooms:
            await state.presence_clear(room)
    return Run(due, deleted, forgetting)


async def named_people(conn: AsyncConnection, event_id: str) -> frozenset[str]:
    """The event's people who still have a name (not withdrawn, not expired)."""
    query = sa.select(people.c.id).where(
        people.c.event_id == event_id, people.c.anonymised_at.is_(None)
    )
    return frozenset(row.id for row in await conn.execute(query))


async def deletion_task(services: Services) -> None:
    """The in-server job: whichever process holds the lease deletes what is due."""
    interval = services.settings.deletion_interval_seconds
    while True:
        try:
            if await services.state.claim(LEASE, services.process_id, interval * 1.5):
                run = await delete_due(
                    services.db,
                    services.state,
                    services.event,
                    services.rooms.ids(),
                    services.clock.now(),
                    by=services.process_id,
                )
                if any(run.deleted.values()):
                    log.info("deleted personal data: %s", run.deleted)
                if run.forgetting is not None:
                    for entry, audience in run.forgetting.logged:
                        services.publisher.send(entry, audience)
        except Exception:
            log.exception("the deletion job failed; it runs again in %s s", interval)
        await services.clock.sleep(interval)
