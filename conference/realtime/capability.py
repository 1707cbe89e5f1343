"""A capability: its realtime handlers and its part of the room snapshot."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.realtime.dispatch import Router

if TYPE_CHECKING:
    from conference.realtime.dispatch import Context
    from conference.services import Services
    from conference.storage.db import LazyReader

Shared = Callable[["Services", AsyncConnection, str, bool], Awaitable[Any]]
Personal = Callable[["Context", "LazyReader", str, Any], Awaitable[Any]]
Background = Callable[["Services"], Coroutine[Any, Any, None]]


@dataclass(frozen=True, slots=True)
class Capability:
    """The capability's part of `room:join`'s ack comes in two steps.

    `shared(services, conn, room, manager)` is what everyone in the room sees alike
    (`manager`: as whoever manages the room sees it); the participants' version is kept
    between joins (conference.rooms.snapshots), so it must hold nothing personal.
    `personal(ctx, reader, room, shared)` turns it into what this person receives, reading
    the database through `reader` only when there is something personal to look up.
    `background(services)` is a task that runs while the server runs.
    """

    name: str
    router: Router
    shared: Shared | None = None
    personal: Personal | None = None
    background: Background | None = None
