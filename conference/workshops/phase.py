"""The workshop phase: closed, open until an end time, or bringing everyone back.

The phase is held by the server as times (`ends_at`, `return_at`) in the durable event state,
so it survives a restart and every page counts down from the same end; pages correct their
clock by the server's `now` that comes with every snapshot (the broadcasts carry none: they are
logged and may be replayed to a page later, when their time would be stale). When the end time
passes, everyone is brought back with a countdown, then the phase closes (the background loop
in conference/workshops/handlers.py, run by one process at a time).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.clock import aware, iso
from conference.events import state_store
from conference.realtime import room_log
from conference.realtime.errors import Refused

Status = Literal["closed", "open", "returning"]
Mode = Literal["assigned", "choose"]

STATE_KEY = "workshops"
BROADCAST = "workshops:phase"
RETURN_SECONDS = 60
MIN_LEFT = dt.timedelta(minutes=1)  # shortening never ends a running phase at once


def _time(value: Any) -> dt.datetime | None:
    return aware(dt.datetime.fromisoformat(value)) if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class Phase:
    status: Status = "closed"
    mode: Mode = "assigned"
    opened_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    return_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None

    @property
    def running(self) -> bool:
        """Participants are in their rooms (open, or on their way back)."""
        return self.status != "closed"

    def public(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "mode": self.mode,
            "opened_at": iso(self.opened_at),
            "ends_at": iso(self.ends_at),
            "return_at": iso(self.return_at),
            "closed_at": iso(self.closed_at),
        }

    @classmethod
    def from_stored(cls, data: Any) -> Phase:
        if not isinstance(data, dict):
            return cls()
        status = data.get("status")
        mode = data.get("mode")
        return cls(
            status=status if status in ("open", "returning") else "closed",
            mode="choose" if mode == "choose" else "assigned",
            opened_at=_time(data.get("opened_at")),
            ends_at=_time(data.get("ends_at")),
            return_at=_time(data.get("return_at")),
            closed_at=_time(data.get("closed_at")),
        )

    # --- transitions (pure: the handlers store and broadcast the result) ----------------

    def opened(self, now: dt.datetime, minutes: int) -> Phase:
        if self.running:
            raise Refused("workshop.phase_running")
        return replace(
            self,
            status="open",
            opened_at=now,
            ends_at=now + dt.timedelta(minutes=minutes),
            return_at=None,
            closed_at=None,
        )

    def extended(self, now: dt.datetime, minutes: int) -> Phase:
        """More (or, negative, less) time; extending while everyone is called back resumes."""
        if not self.running or self.ends_at is None:
            raise Refused("workshop.phase_closed")
        base = max(self.ends_at, now) if self.status == "returning" else self.ends_at
        ends_at = max(base + dt.timedelta(minutes=minutes), now + MIN_LEFT)
        return replace(self, status="open", ends_at=ends_at, return_at=None)

    def returning(self, now: dt.datetime, seconds: int = RETURN_SECONDS) -> Phase:
        if self.status == "returning":
            return self
        if self.status != "open":
            raise Refused("workshop.phase_closed")
        return replace(self, status="returning", return_at=now + dt.timedelta(seconds=seconds))

    def closed(self, now: dt.datetime) -> Phase:
        if not self.running:
            return self
        return replace(self, status="closed", return_at=None, closed_at=now)

    def with_mode(self, mode: Mode) -> Phase:
        return replace(self, mode=mode)

    def due(self, now: dt.datetime) -> Phase | None:
        """The transition that time makes now, if any: the end brings everyone back, the
        end of the countdown closes the phase."""
        if self.status == "open" and self.ends_at is not None and now >= self.ends_at:
            return self.returning(now)
        if self.status == "returning" and self.return_at is not None and now >= self.return_at:
            return self.closed(now)
        return None


async def read(conn: AsyncConnection, event_id: str, *, lock: bool = False) -> Phase:
    """The phase; `lock` (in a write block) keeps two changes of it from interleaving."""
    return Phase.from_stored(await state_store.get(conn, event_id, STATE_KEY, lock=lock))


async def write(conn: AsyncConnection, event_id: str, phase: Phase) -> room_log.Entry:
    """Store the phase and log its broadcast to the whole event; call inside the write block."""
    await state_store.put(conn, event_id, STATE_KEY, phase.public())
    return await room_log.append(
        conn, event_id, room_log.EVENT_STREAM, BROADCAST, {"phase": phase.public()}
    )
