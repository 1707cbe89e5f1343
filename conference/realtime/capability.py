"""A capability: its realtime handlers, its part of the room snapshot, and its lifetime."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.realtime.dispatch import Router

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from conference.realtime.dispatch import Context
    from conference.services import Services
    from conference.web.templating import Pages

Shared = Callable[["Services", AsyncConnection, str, bool], Awaitable[Any]]
Personal = Callable[["Context", str, Any], Awaitable[Any]]
Lifetime = Callable[["Services"], AbstractAsyncContextManager[None]]
Loop = Callable[["Services"], Coroutine[Any, Any, None]]
Routes = Callable[["Services", "Pages"], "list[BaseRoute]"]


@dataclass(frozen=True, slots=True)
class Capability:
    """The capability's part of `room:join`'s ack comes in two steps.

    `shared(services, conn, room, manager)` is what everyone in the room sees alike
    (`manager`: as whoever manages the room sees it); the participants' version is kept
    between joins (conference.rooms.snapshots), so it must hold nothing personal.
    `personal(ctx, room, shared)` turns it into what this person receives, reading the
    database only when there is something personal to look up, and then through a batched
    lookup (conference/storage/batched.py): a storm of joins costs a query per batch, not one
    per person and part. A part never holds a connection of the read pool while it waits for
    a batch (many such waiters at once would exhaust the pool).
    `lifetime(services)` is entered when the app starts and left when it stops: the
    capability's per-process helpers (`services.parts`) and background loops live there.
    `routes(services, pages)` are its HTTP pages and exports.
    """

    name: str
    router: Router
    shared: Shared | None = None
    personal: Personal | None = None
    lifetime: Lifetime | None = None
    routes: Routes | None = None


@contextlib.asynccontextmanager
async def running(services: Services, *loops: Loop) -> AsyncIterator[None]:
    """Run background loops while the block runs; cancel them when it ends."""
    tasks = [
        asyncio.create_task(loop(services), name=getattr(loop, "__qualname__", "loop"))
        for loop in loops
    ]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def loops(*background: Loop) -> Lifetime:
    """A lifetime that only runs background loops."""
    return lambda services: running(services, *background)
