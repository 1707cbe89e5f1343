"""The socket.io server: handshake authentication, connections, and the catch-all dispatch."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import replace
from http.cookies import SimpleCookie
from typing import Any

import socketio
from socketio.exceptions import ConnectionRefusedError as Refuse

from conference.auth.people import Person, hash_token
from conference.auth.presenter import PRESENTER_EVENTS, PRESENTER_ROLE, presenter_identity
from conference.auth.sessions import COOKIE_NAME
from conference.ratelimit import TokenBucket
from conference.realtime import audiences, json_codec
from conference.realtime.connection import Connection
from conference.realtime.dispatch import Dispatcher, refusal
from conference.realtime.errors import MESSAGES
from conference.realtime.fanout import FanoutManager, FanoutRedisManager
from conference.realtime.guard import GuardedServer
from conference.services import Services
from conference.settings import Settings
from conference.state.base import StateUnavailable
from conference.web.i18n import pick_locale

log = logging.getLogger(__name__)

PRESENCE_HEARTBEAT_SECONDS = 30.0
PRESENCE_BROADCAST_SECONDS = 1.0


def transport_limit(settings: Settings) -> int:
    """Frames above this are cut off by uvicorn and engine.io; below it, dispatch refuses
    oversized payloads with a clear ack (`payload.too_large`)."""
    return settings.max_payload_bytes * 4


def create_sio(settings: Settings) -> GuardedServer:
    manager: socketio.AsyncManager
    if settings.redis_url:
        manager = FanoutRedisManager(
            settings.redis_url, redis_options={"max_connections": settings.redis_pool_size}
        )
    else:
        manager = FanoutManager()
    return GuardedServer(
        async_mode="asgi",
        client_manager=manager,
        # None = only the server's own origin; never [] or "*" (those turn the check off)
        cors_allowed_origins=settings.allowed_origins or None,
        max_http_buffer_size=transport_limit(settings),
        ping_interval=20,
        ping_timeout=20,
        json=json_codec,
        max_payload_bytes=settings.max_payload_bytes,
    )


class HandshakeRefused(Refuse):  # type: ignore[misc]
    """A refused connection: the client's `connect_error` carries `data: {code, message}`,
    the shape of an ack's error (socket.io clients read it as `err.data`)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.error_args = {"message": message, "data": {"code": code, "message": message}}


def _cookie(environ: dict[str, Any], name: str) -> str | None:
    jar = SimpleCookie()
    try:
        jar.load(environ.get("HTTP_COOKIE", ""))
    except Exception:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


class Realtime:
    """Owns this process's connections; every event goes through the dispatcher."""

    def __init__(self, services: Services, dispatcher: Dispatcher) -> None:
        self.services = services
        self.dispatcher = dispatcher
        self._tasks: list[asyncio.Task[None]] = []
        self._endings: set[asyncio.Task[None]] = set()
        self._resyncs: set[asyncio.Task[None]] = set()
        sio = services.sio
        sio.on("connect", self.on_connect)
        sio.on("disconnect", self.on_disconnect)
        sio.on("*", self.on_event)
        sio.translate = self.translate
        sio.manager.observers.append(self.on_broadcast)
        sio.manager.resubscribed.append(self.on_resubscribed)

    def translate(self, sid: str | None, code: str) -> str:
        """A refusal's message in the language of the connection `sid` (German without one)."""
        connection = self.services.connections.get(sid) if sid else None
        return self.dispatcher.translate(connection, code, None)

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._heartbeat(), name="presence-heartbeat"),
            asyncio.create_task(self._presence_broadcasts(), name="presence-broadcasts"),
        ]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def authenticate(self, environ: dict[str, Any], auth: Any) -> Person | None:
        """The person behind a handshake: a join token in `auth`, or the session cookie."""
        services = self.services
        token_hash: str | None = None
        if isinstance(auth, dict) and isinstance(auth.get("presenter"), str):
            return presenter_identity(services.settings, services.event.id, auth["presenter"])
        person_id: str | None = None
        if isinstance(auth, dict) and isinstance(auth.get("token"), str):
            token_hash = hash_token(auth["token"])
        else:
            session = services.sessions.loads(_cookie(environ, COOKIE_NAME))
            if session:
                token_hash, person_id = session.token_hash, session.person_id
        if token_hash is None:
            return None
        person = await services.tokens.person(token_hash)
        if person is None or (person_id is not None and person.id != person_id):
            return None
        return person

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        wanted = auth.get("locale") if isinstance(auth, dict) else _cookie(environ, "lang")
        locale = pick_locale(
            wanted if isinstance(wanted, str) else None, environ.get("HTTP_ACCEPT_LANGUAGE")
        )
        try:
            person = await self.authenticate(environ, auth)
        except Exception:
            # a server fault (the database away), not the client's: logged in full, answered
            log.exception("authenticating a connection failed")
            message = self.services.i18n.gettext(locale, MESSAGES["server.error"])
            raise HandshakeRefused("server.error", message) from None
        if person is None:
            message = self.services.i18n.gettext(locale, MESSAGES["auth.required"])
            raise HandshakeRefused("auth.required", message)
        settings = self.services.settings
        self.services.connections[sid] = Connection(
            sid=sid,
            person=person,
            locale=locale,
            bucket=TokenBucket(settings.rate_limit_per_second, settings.rate_limit_burst),
        )
        event_id = self.services.event.id
        await self.services.sio.enter_room(sid, audiences.event(event_id))
        await self.services.sio.enter_room(sid, audiences.person(event_id, person.id))
        if person.role in ("moderator", "admin"):
            await self.services.sio.enter_room(sid, audiences.moderators(event_id))
        elif person.role == "facilitator" and person.room:
            await self.services.sio.enter_room(sid, audiences.facilitators(event_id, person.room))

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        connection = self.services.connections.pop(sid, None)
        if connection is None:
            return
        for room in list(connection.rooms):
            for leave in self.services.room_hooks.leave:
                await leave(connection, room)

    def on_broadcast(self, event: str, data: Any, audience: Any) -> None:
        """A mute or a removal, from whichever process, reaches this process's connections of
        the person: a mute keeps what they are told on joining a room (`me`) true; a removal
        ends them, in a room or not, and nothing they send meanwhile is taken."""
        if event not in ("person:muted", "session:ended") or not isinstance(data, dict):
            return
        person_id = data.get("person_id")
        if not isinstance(person_id, str) or audience != audiences.person(
            self.services.event.id, person_id
        ):
            return
        for connection in list(self.services.connections.values()):
            if connection.person.id != person_id:
                continue
            if event == "person:muted":
                connection.person = replace(connection.person, muted=bool(data.get("muted")))
                continue
            connection.person = replace(connection.person, removed=True)
            # after this broadcast, which the fan-out queues first
            task = asyncio.create_task(self.services.sio.disconnect(connection.sid))
            self._endings.add(task)
            task.add_done_callback(self._endings.discard)

    def on_resubscribed(self) -> None:
        """Redis is back: broadcasts of other processes may have been lost meanwhile, so this
        process's clients are told to catch up (`room:resync`, docs/protocol.md)."""
        log.warning("listening to the other processes again: clients resync")
        audience = audiences.event(self.services.event.id)
        # to this process's clients only: every process resubscribes and tells its own
        task = asyncio.create_task(
            self.services.sio.emit("room:resync", {}, to=audience, ignore_queue=True)
        )
        self._resyncs.add(task)
        task.add_done_callback(self._resyncs.discard)

    async def on_event(self, event: str, sid: str, *args: Any) -> dict[str, Any]:
        data = args[0] if args else None
        connection = self.services.connections.get(sid)
        presenter = connection is not None and connection.person.role == PRESENTER_ROLE
        if presenter and event not in PRESENTER_EVENTS:
            message = self.dispatcher.translate(connection, "auth.forbidden", None)
            return refusal("auth.forbidden", message)  # presenter views only read
        return await self.dispatcher.dispatch(connection, event, data)

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(PRESENCE_HEARTBEAT_SECONDS)
            for connection in list(self.services.connections.values()):
                for room in list(connection.rooms):
                    with contextlib.suppress(Exception):
                        await self.services.state.presence_refresh(
                            room, connection.person.id, connection.sid
                        )

    async def _presence_broadcasts(self) -> None:
        """Presence counts are coalesced: at most one broadcast per room and second."""
        event_id = self.services.event.id
        while True:
            await asyncio.sleep(PRESENCE_BROADCAST_SECONDS)
            rooms = set(self.services.dirty_rooms)
            self.services.dirty_rooms.clear()
            for room in rooms:
                try:
                    count = len(await self.services.state.presence_people(room))
                except StateUnavailable:
                    # counted again once Redis is back (its departures applied first)
                    self.services.dirty_rooms.add(room)
                    continue
                except Exception:
                    log.exception("presence count of %s failed", room)
                    continue
                self.services.presence_counts[room] = count
                data = {"room": room, "count": count}
                self.services.publisher.send_volatile(
                    "room:presence", data, audiences.room(event_id, room)
                )
                self.services.publisher.send_volatile(
                    "room:presence", data, audiences.moderators(event_id)
                )
