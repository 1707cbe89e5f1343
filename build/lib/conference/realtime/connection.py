"""What the server knows of one socket.io connection, from its handshake."""

from __future__ import annotations

from dataclasses import dataclass, field

from conference.auth.people import Person
from conference.ratelimit import TokenBucket


@dataclass
class Connection:
    """One socket.io connection of a person on this process, and the rooms it joined."""

    sid: str
    person: Person
    locale: str
    bucket: TokenBucket
    rooms: set[str] = field(default_factory=set)
    # the attendance visit of each joined room (conference/rooms/attendance.py)
    visits: dict[str, str] = field(default_factory=dict)
