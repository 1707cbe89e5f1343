"""Time, always with its zone: what is stored is UTC, what clients get is ISO 8601 with offset.

The server's scheduled jobs (the deletion job) see the time through a `Clock`, so tests move
it instead of sleeping: they wait through `Clock.sleep`, and a test clock wakes them when it is
moved forward.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Protocol


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(value: dt.datetime) -> dt.datetime:
    """A stored time with its zone (SQLite returns naive datetimes; they were stored as UTC)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def iso(value: dt.datetime | None) -> str | None:
    """A time as clients receive it: ISO 8601 with the offset, or None."""
    return None if value is None else aware(value).isoformat()


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, in UTC."""

    async def sleep(self, seconds: float) -> None:
        """Wait until `seconds` have passed on this clock."""


class SystemClock:
    """The real time."""

    def now(self) -> dt.datetime:
        return utcnow()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
