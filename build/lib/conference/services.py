"""What handlers and pages share: settings, the event, storage, room state and broadcasting."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import socketio

from conference.auth.lookup import TokenLookup
from conference.auth.people import Person
from conference.auth.sessions import SessionCodec
from conference.events.model import Event
from conference.realtime.connection import Connection
from conference.realtime.publish import Publisher
from conference.rooms.registry import Rooms
from conference.rooms.snapshots import RoomSnapshots
from conference.settings import Settings
from conference.state.base import RoomState
from conference.storage.db import Database
from conference.web.i18n import I18n

T = TypeVar("T")
# async (person, room, shared snapshot of the room): raise Refused to keep the person out
Admit = Callable[[Person, str, dict[str, Any]], Awaitable[None]]
# async (connection, room): the connection left the room (room:leave, a disconnect, sent out)
Leave = Callable[[Connection, str], Awaitable[None]]
# async (person): the room a person belongs in now (their workshop during the phase), or None
Belongs = Callable[[Person], Awaitable[str | None]]


@dataclass
class RoomHooks:
    """What capabilities add to entering and leaving rooms (conference/rooms/handlers.py)."""

    admit: list[Admit] = field(default_factory=list)
    leave: list[Leave] = field(default_factory=list)
    belongs: list[Belongs] = field(default_factory=list)

    async def room_of(self, person: Person) -> str | None:
        """Where a person belongs now, if not in the plenary."""
        for belongs in self.belongs:
            room = await belongs(person)
            if room is not None:
                return room
        return None


class Parts:
    """This process's helpers of the capabilities (batch writers, coalescers), one per type:
    a capability adds them when it starts with the app and closes them when the app stops."""

    def __init__(self) -> None:
        self._by_type: dict[type[Any], Any] = {}

    def add(self, part: T) -> T:
        kind = type(part)
        if kind in self._by_type:
            raise ValueError(f"{kind.__name__} added twice")
        self._by_type[kind] = part
        return part

    def remove(self, kind: type[Any]) -> None:
        self._by_type.pop(kind, None)

    def __getitem__(self, kind: type[T]) -> T:
        try:
            return cast(T, self._by_type[kind])
        except KeyError:
            raise LookupError(
                f"{kind.__name__} is not running (its capability has not started)"
            ) from None


@dataclass
class Services:
    settings: Settings
    event: Event
    db: Database
    state: RoomState
    sio: socketio.AsyncServer
    publisher: Publisher
    sessions: SessionCodec
    i18n: I18n
    snapshots: RoomSnapshots
    tokens: TokenLookup
    rooms: Rooms
    parts: Parts = field(default_factory=Parts)
    process_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    # this process's socket.io connections by sid, and rooms whose presence changed
    connections: dict[str, Connection] = field(default_factory=dict)
    dirty_rooms: set[str] = field(default_factory=set)
    # the latest presence count per room, computed at most once a second (see Realtime)
    presence_counts: dict[str, int] = field(default_factory=dict)
    room_hooks: RoomHooks = field(default_factory=RoomHooks)
