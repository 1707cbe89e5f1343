"""Deleting an event's data after the event (data protection): every row of every table."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from conference.events.loader import load_event
from conference.settings import ConfigError, Settings
from conference.storage.db import command_database
from conference.storage.tables import metadata


def _of_event(table: sa.Table, event_id: str) -> ColumnElement[bool]:
    """Rows of `table` that belong to the event, directly or through their foreign keys."""
    if "event_id" in table.c:
        return table.c.event_id == event_id
    key = min(table.foreign_keys, key=lambda fk: fk.parent.name)
    referred = key.column
    return key.parent.in_(sa.select(referred).where(_of_event(referred.table, event_id)))


def due_date(settings: Settings) -> dt.datetime:
    event = load_event(settings.event_file)
    return event.ends_at() + dt.timedelta(days=event.delete_data_after_days)


async def purge(settings: Settings, *, now: bool = False) -> dict[str, int]:
    """Delete everything of the event, children first; returns the rows deleted per table."""
    event = load_event(settings.event_file)
    due = due_date(settings)
    if not now and dt.datetime.now(dt.UTC) < due:
        raise ConfigError(
            f"the data of {event.id!r} is kept until {due.isoformat()} "
            f"(delete_data_after_days = {event.delete_data_after_days}); "
            "use --now to delete it today"
        )
    deleted: dict[str, int] = {}
    async with command_database(settings.database_url) as db, db.write() as conn:
        for table in reversed(metadata.sorted_tables):
            if "event_id" not in table.c and not table.foreign_keys:
                continue
            result = await conn.execute(table.delete().where(_of_event(table, event.id)))
            deleted[table.name] = result.rowcount
    return deleted
