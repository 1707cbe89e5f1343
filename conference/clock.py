"""The time as the server's scheduled jobs see it: injectable, so tests move it instead of sleeping.

Every time handed out carries its zone (UTC). Jobs that wait (the deletion job) wait through
`Clock.sleep`, so a test clock wakes them when it is moved forward.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, in UTC."""

    async def sleep(self, seconds: float) -> None:
        """Wait until `seconds` have passed on this clock."""


class SystemClock:
    """The real time."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
