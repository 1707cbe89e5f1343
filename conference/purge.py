"""`conference purge`: the deletion job by hand, or every record of the event at once."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from conference.clock import Clock, SystemClock
from conference.events.loader import load_event
from conference.events.model import RETENTION_KINDS, Event
from conference.privacy.retention import delete_due, due_kinds
from conference.rooms.registry import Rooms
from conference.settings import ConfigError, Settings
from conference.state import create_room_state
from conference.storage.db import command_database
from conference.storage.tables import metadata


def _of_event(table: sa.Table, event_id: str) -> ColumnElement[bool]:
    """Rows of `table` that belong to the event, directly or through their foreign keys."""
    if "event_id" in table.c:
        return table.c.event_id == event_id
    key = min(table.foreign_keys, key=lambda fk: fk.parent.name)
    referred = key.column
    return key.parent.in_(sa.select(referred).where(_of_event(referred.table, event_id)))


def _kept_until(event: Event, now: dt.datetime) -> str:
    """`2027-04-15T15:00:00+02:00 (registrations, chat), 2027-05-15T… (logs)`."""
    by_date: dict[dt.datetime, list[str]] = {}
    for kind in RETENTION_KINDS:
        if event.deletion_due(kind) > now:
            by_date.setdefault(event.deletion_due(kind), []).append(kind)
    return ", ".join(
        f"{at.isoformat()} ({', '.join(kinds)})" for at, kinds in sorted(by_date.items())
    )


async def purge(
    settings: Settings, *, now: bool = False, clock: Clock | None = None
) -> dict[str, int]:
    """Without `now`: delete each kind of personal data whose retention has ended (what the
    server's job does); refused when nothing is due. With `now`: every record of the event,
    children first. Returns the rows deleted per declaration or table."""
    event = load_event(settings.event_file)
    at = (clock or SystemClock()).now()
    if not now and not due_kinds(event, at):
        raise ConfigError(
            f"the personal data of {event.id!r} is kept until {_kept_until(event, at)} "
            "([retention] and delete_data_after_days in the event file); "
            "use --now to delete every record today"
        )
    state = create_room_state(settings)
    await state.start()
    try:
        async with command_database(settings.database_url) as db:
            rooms = Rooms(db, event)
            await rooms.load()
            if not now:
                run = await delete_due(db, state, event, rooms.ids(), at, by="conference purge")
                return run.deleted
            deleted: dict[str, int] = {}
            async with db.write() as conn:
                for table in reversed(metadata.sorted_tables):
                    if "event_id" not in table.c and not table.foreign_keys:
                        continue
                    result = await conn.execute(table.delete().where(_of_event(table, event.id)))
                    deleted[table.name] = result.rowcount
            for room in rooms.ids():
                await state.presence_clear(room)
            return deleted
    finally:
        await state.close()
