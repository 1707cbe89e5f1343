"""Time, always with its zone: what is stored is UTC, what clients get is ISO 8601 with offset."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(value: dt.datetime) -> dt.datetime:
    """A stored time with its zone (SQLite returns naive datetimes; they were stored as UTC)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def iso(value: dt.datetime | None) -> str | None:
    """A time as clients receive it: ISO 8601 with the offset, or None."""
    return None if value is None else aware(value).isoformat()
