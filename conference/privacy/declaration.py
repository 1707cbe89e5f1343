"""How a capability declares the personal data it keeps.

Each kind of personal data a capability stores is one `PersonalData`: the tables it lives in,
which retention period of the event file applies (`[retention]`), and three functions the
platform calls:

- `export(conn, event_id, person_id)`: what is kept about one person, as JSON (Art. 15 GDPR);
- `forget(conn, forgetting)`: people withdrew (Art. 17), or the registrations' retention
  ended: delete their records, or anonymise them where they are part of shared results (a
  chat message stays, "from a deleted person"), in the records and in the room log's copies;
  logged broadcasts that tell the rooms go into `forgetting.logged`;
- `expire(conn, expiring)`: the retention period of its kind has ended: delete every record of
  the event, keeping at most aggregates without names.

The declarations are listed in `conference/privacy/registry.py`; a test fails when a table that
refers to people is covered by none of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.events.model import RetentionKind
from conference.realtime.publish import Audience
from conference.realtime.room_log import Entry
from conference.storage import locks


@dataclass
class Forgetting:
    """People to forget (one who withdrew, or everyone once the registrations expire), passed
    through every declaration in one transaction."""

    event_id: str
    person_ids: frozenset[str]
    now: dt.datetime
    # logged broadcasts (entry, audience) and notices (type, data, audience) sent after commit
    logged: list[tuple[Entry, Audience]] = field(default_factory=list)
    notices: list[tuple[str, dict[str, Any], Audience]] = field(default_factory=list)


async def forgetting_lock(conn: AsyncConnection, event_id: str) -> None:
    """Take before the first `forget` of a transaction: forgetting appends to the logs of
    several rooms in whatever order the records come, so two forgettings at once (a
    withdrawal during the deletion job) take turns rather than deadlock on the rooms'
    counters (every other write appends to one room)."""
    await locks.exclusive(conn, "forgetting", event_id)


@dataclass(frozen=True, slots=True)
class Expiring:
    """One kind's retention has ended for the event."""

    event_id: str
    now: dt.datetime


Export = Callable[[AsyncConnection, str, str], Awaitable[Any]]
Forget = Callable[[AsyncConnection, Forgetting], Awaitable[None]]
Expire = Callable[[AsyncConnection, Expiring], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class PersonalData:
    """One kind of personal data a capability keeps, and how it is exported, forgotten and
    deleted. `title`, `what`, `purpose` and `on_withdrawal` are English message ids (marked
    with `N_`), shown translated on the privacy page and the person's own page."""

    name: str  # the section of the export, e.g. "chat_messages"
    kind: RetentionKind  # whose retention period applies
    tables: tuple[sa.Table, ...]  # where it is stored
    title: str
    what: str
    purpose: str
    on_withdrawal: str
    export: Export
    forget: Forget
    expire: Expire


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message
