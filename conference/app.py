"""The application factory: Starlette pages and the socket.io server in one ASGI app."""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import AsyncIterator

import socketio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from conference.auth.lookup import TokenLookup
from conference.auth.sessions import SessionCodec
from conference.capabilities import CAPABILITIES
from conference.clock import Clock, SystemClock
from conference.events.loader import load_event
from conference.polls.service import seed as seed_prepared_polls
from conference.realtime.dispatch import Dispatcher
from conference.realtime.guard import TransportGuard
from conference.realtime.publish import Publisher
from conference.realtime.server import Realtime, create_sio, transport_limit
from conference.rooms.assembly import SnapshotParts
from conference.rooms.registry import Rooms
from conference.rooms.snapshots import RoomSnapshots
from conference.services import Services
from conference.settings import Settings
from conference.state import create_room_state
from conference.storage.db import Database
from conference.web.i18n import I18n
from conference.web.routes import page_routes
from conference.web.security import content_security_policy
from conference.web.templating import Pages

log = logging.getLogger(__name__)

SECURITY_HEADERS = [
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
]


_DEFAULT_CSP = (b"content-security-policy", content_security_policy().encode())


class SecurityHeaders:
    """No third-party scripts or frames unless named here; no referrer leaks of join links."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(SECURITY_HEADERS)
                if not any(name.lower() == _DEFAULT_CSP[0] for name, _ in headers):
                    headers.append(_DEFAULT_CSP)  # pages with a nonce set their own
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def build_services(settings: Settings, clock: Clock | None = None) -> Services:
    sio = create_sio(settings)
    event = load_event(settings.event_file)
    snapshots = RoomSnapshots(event.id)
    sio.manager.observers.append(snapshots.observe)
    db = Database(settings.database_url)
    rooms = Rooms(db, event)
    sio.manager.observers.append(rooms.observe)
    return Services(
        settings=settings,
        event=event,
        db=db,
        state=create_room_state(settings),
        sio=sio,
        publisher=Publisher(sio),
        sessions=SessionCodec(settings.secret()),
        i18n=I18n(),
        snapshots=snapshots,
        tokens=TokenLookup(db, event.id),
        rooms=rooms,
        clock=clock or SystemClock(),
    )


async def _load_rooms(services: Services) -> None:
    """The rooms of the event file, in SQL; a database not reachable yet must not stop the
    server (the rooms of the file are known without it)."""
    try:
        await services.rooms.load()
    except Exception:
        log.exception("loading the rooms failed; serving the event file's rooms")


def _tune_gc() -> None:
    """What exists after start-up lives as long as the process: freeze it out of every
    collection, and collect the young generation less often (docs/benchmarks.md)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> TransportGuard:
    """The whole server as one ASGI app; storage and room state open in its lifespan.
    `clock` is the time the scheduled jobs see (tests move it)."""
    services = build_services(settings or Settings(), clock)
    services.parts.add(SnapshotParts(CAPABILITIES.values()))
    dispatcher = Dispatcher(services, [c.router for c in CAPABILITIES.values()])
    realtime = Realtime(services, dispatcher)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await services.state.start()
        await _load_rooms(services)
        await seed_prepared_polls(services)  # before the first page: the drafts are there
        services.publisher.start()
        realtime.start()
        try:
            async with contextlib.AsyncExitStack() as lifetimes:
                for capability in CAPABILITIES.values():
                    if capability.lifetime is not None:
                        await lifetimes.enter_async_context(capability.lifetime(services))
                _tune_gc()
                yield
        finally:
            await realtime.close()
            await services.publisher.close()
            await services.state.close()
            await services.db.close()

    pages = Pages(services.i18n)
    capability_routes = [
        route
        for capability in CAPABILITIES.values()
        if capability.routes is not None
        for route in capability.routes(services, pages)
    ]
    starlette = Starlette(
        routes=page_routes(services, pages, capability_routes),
        middleware=[Middleware(SecurityHeaders)],
        lifespan=lifespan,
    )
    starlette.state.services = services
    engine = socketio.ASGIApp(services.sio, other_asgi_app=starlette, socketio_path="socket.io")
    return TransportGuard(engine, services.sio, limit=transport_limit(services.settings))
