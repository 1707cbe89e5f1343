"""What handlers and pages share: settings, the event, storage, room state and broadcasting."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import socketio

from conference.auth.lookup import TokenLookup
from conference.auth.sessions import SessionCodec
from conference.clock import Clock, SystemClock
from conference.events.model import Event
from conference.realtime.publish import Publisher
from conference.rooms.snapshots import RoomSnapshots
from conference.settings import Settings
from conference.state.base import RoomState
from conference.storage.db import Database
from conference.web.i18n import I18n

if TYPE_CHECKING:
    from conference.realtime.dispatch import Connection


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
    clock: Clock = field(default_factory=SystemClock)
    process_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    # this process's socket.io connections by sid, and rooms whose presence changed
    connections: dict[str, Connection] = field(default_factory=dict)
    dirty_rooms: set[str] = field(default_factory=set)
    # the latest presence count per room, computed at most once a second (see Realtime)
    presence_counts: dict[str, int] = field(default_factory=dict)
