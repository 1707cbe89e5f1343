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

Snapshot = Callable[["Context", AsyncConnection, str], Awaitable[Any]]
Background = Callable[["Services"], Coroutine[Any, Any, None]]


@dataclass(frozen=True, slots=True)
class Capability:
    """`snapshot(ctx, conn, room)` returns this capability's state for `room:join`'s ack;
    `background(services)` is a task that runs while the server runs."""

    name: str
    router: Router
    snapshot: Snapshot | None = None
    background: Background | None = None
