"""notes:* — the shared notes of a workshop room: sync, updates, awareness, mode, versions."""

from __future__ import annotations

import base64
import binascii
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Literal

import pycrdt
from pydantic import Field

from conference.auth.roles import Permission
from conference.clock import utcnow
from conference.notes import store
from conference.notes.docs import BROADCAST, MODE_BROADCAST, NotesDocs
from conference.notes.edits import edit_to
from conference.notes.routes import notes_routes
from conference.notes.writer import NotesWriter
from conference.ratelimit import TokenBucket
from conference.realtime import audiences
from conference.realtime.capability import Capability, running
from conference.realtime.connection import Connection
from conference.realtime.dispatch import Context, Payload, Router
from conference.realtime.errors import N_, Refused
from conference.rooms.registry import PLENARY
from conference.services import Services
from conference.workshops.service import PhaseHooks

router = Router()
CLOSING_NAME = N_("End of the workshop phase, %(time)s")

MAX_UPDATE_BYTES = 40 * 1024  # a paste of a long text; typing sends a few bytes
MAX_DOC_BYTES = 512 * 1024
MAX_AWARENESS_BYTES = 4 * 1024
UPDATES_PER_SECOND, UPDATES_BURST = 10.0, 40  # the page sends at most ~4 a second
B64 = r"^[A-Za-z0-9+/]*={0,2}$"

Room = Field(min_length=1, max_length=64)


class NotesOpen(Payload):
    room: str = Room
    state_vector: str = Field(default="", max_length=8192, pattern=B64)
    client: int = Field(default=0, ge=0, le=2**53)


class NotesUpdate(Payload):
    room: str = Room
    # bounded by the payload limit; beyond MAX_UPDATE_BYTES the ack says notes.too_large
    update: str = Field(min_length=4, pattern=B64)


class NotesAwareness(Payload):
    room: str = Room
    update: str = Field(min_length=4, max_length=MAX_AWARENESS_BYTES * 4 // 3 + 4, pattern=B64)


class NotesMode(Payload):
    room: str = Room
    mode: Literal["everyone", "facilitator"]


class NotesRef(Payload):
    room: str = Room


class VersionRef(Payload):
    room: str = Room
    id: str = Field(min_length=1, max_length=32)


class VersionSave(Payload):
    room: str = Room
    name: str = Field(min_length=1, max_length=120)


@dataclass
class Writer:
    """A connection with the notes of a room open."""

    room: str
    client: int
    bucket: TokenBucket


class Writers:
    """Who has notes open on this process, by connection."""

    def __init__(self) -> None:
        self.by_sid: dict[str, Writer] = {}


def _decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Refused("notes.bad_update") from None


def _encode(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _notes_room(ctx: Context, room: str) -> None:
    ctx.require_joined(room)
    if room == PLENARY:
        raise Refused("room.unknown")


def _may_write(ctx: Context, room: str, mode: str) -> bool:
    return mode == "everyone" or ctx.person.manages(room)


@router.on("notes:open", NotesOpen)
async def open_notes(ctx: Context, payload: NotesOpen) -> dict[str, Any]:
    """Sync step: what the client lacks (by its state vector), the server's state vector to
    send back what the server lacks, and whether this person may write."""
    _notes_room(ctx, payload.room)
    services = ctx.services
    live = await services.parts[NotesDocs].fresh(payload.room)
    try:
        missing = live.doc.get_update(_decode(payload.state_vector) or None)
    except ValueError:
        raise Refused("notes.bad_update") from None
    await services.sio.enter_room(ctx.connection.sid, audiences.notes(ctx.event_id, payload.room))
    services.parts[Writers].by_sid[ctx.connection.sid] = Writer(
        payload.room, payload.client, TokenBucket(UPDATES_PER_SECOND, UPDATES_BURST)
    )
    return {
        "room": payload.room,
        "update": _encode(missing),
        "state_vector": _encode(live.doc.get_state()),
        "notes_seq": live.applied,
        "mode": live.mode,
        "can_write": _may_write(ctx, payload.room, live.mode),
        "limits": {"update_bytes": MAX_UPDATE_BYTES, "doc_bytes": MAX_DOC_BYTES},
    }


def _writer(ctx: Context, room: str) -> Writer:
    writer = ctx.services.parts[Writers].by_sid.get(ctx.connection.sid)
    if writer is None or writer.room != room:
        raise Refused("notes.not_open")
    if not writer.bucket.take():
        raise Refused("rate.limited")
    return writer


@router.on("notes:update", NotesUpdate, rate_limited=False)
async def update(ctx: Context, payload: NotesUpdate) -> dict[str, Any]:
    """Acknowledged once the update is durable; then it reaches every writer."""
    _notes_room(ctx, payload.room)
    _writer(ctx, payload.room)
    seq = await apply_update(ctx.services, ctx, payload.room, _decode(payload.update))
    return {"notes_seq": seq}


async def apply_update(
    services: Services, ctx: Context | None, room: str, data: bytes, *, by_server: bool = False
) -> int:
    """Check, store, apply and broadcast one update of a room's document."""
    docs = services.parts[NotesDocs]
    live = await docs.get(room)
    if not by_server and ctx is not None and not _may_write(ctx, room, live.mode):
        raise Refused("notes.read_only")
    if len(data) > MAX_UPDATE_BYTES:
        raise Refused("notes.too_large")
    try:
        pycrdt.Doc().apply_update(data)  # garbage is refused before it reaches anything
    except ValueError:
        raise Refused("notes.bad_update") from None
    if live.size + len(data) > MAX_DOC_BYTES:
        raise Refused("notes.too_large")
    seq = await services.parts[NotesWriter].write(room, data)
    live.apply(seq, data)
    # the sender has its own update already; a server-made edit (a restore) goes to everyone
    skip = ctx.connection.sid if ctx is not None and not by_server else None
    services.publisher.send_volatile(
        BROADCAST,
        {"room": room, "notes_seq": seq, "update": _encode(data)},
        audiences.notes(services.event.id, room),
        skip=skip,
    )
    docs.written(live)
    return seq


@router.on("notes:awareness", NotesAwareness, rate_limited=False)
async def awareness(ctx: Context, payload: NotesAwareness) -> None:
    """Cursors and names: passed on, never stored."""
    _notes_room(ctx, payload.room)
    _writer(ctx, payload.room)
    ctx.services.publisher.send_volatile(
        "notes:awareness",
        {"room": payload.room, "update": payload.update},
        audiences.notes(ctx.event_id, payload.room),
        skip=ctx.connection.sid,
    )


@router.on("notes:mode", NotesMode, Permission.FACILITATOR)
async def set_mode(ctx: Context, payload: NotesMode) -> dict[str, Any]:
    """ "everyone" writes, or "facilitator": only who manages the room (enforced here)."""
    _notes_room(ctx, payload.room)
    live = await ctx.services.parts[NotesDocs].get(payload.room)
    async with ctx.services.db.write() as conn:
        await store.set_mode(conn, ctx.event_id, payload.room, payload.mode)
    live.mode = payload.mode
    data = {"room": payload.room, "mode": payload.mode}
    ctx.services.publisher.send_volatile(
        MODE_BROADCAST, data, audiences.notes(ctx.event_id, payload.room)
    )
    return data


@router.on("notes:versions", NotesRef)
async def list_versions(ctx: Context, payload: NotesRef) -> dict[str, Any]:
    _notes_room(ctx, payload.room)
    async with ctx.services.db.read() as conn:
        return {"versions": await store.versions(conn, ctx.event_id, payload.room)}


@router.on("notes:version", VersionRef)
async def show_version(ctx: Context, payload: VersionRef) -> dict[str, Any]:
    _notes_room(ctx, payload.room)
    async with ctx.services.db.read() as conn:
        found = await store.version(conn, ctx.event_id, payload.room, payload.id)
    if found is None:
        raise Refused("notes.version_not_found")
    listing, _, text = found
    return {"version": listing, "text": text}


@router.on("notes:save", VersionSave, Permission.FACILITATOR)
async def save_version(ctx: Context, payload: VersionSave) -> dict[str, Any]:
    _notes_room(ctx, payload.room)
    version = await keep_version(
        ctx.services, payload.room, name=payload.name, kind="named", by=ctx.person.id
    )
    return {"version": version}


async def keep_version(
    services: Services, room: str, *, name: str, kind: Literal["auto", "named"], by: str | None
) -> dict[str, Any]:
    live = await services.parts[NotesDocs].fresh(room)
    async with services.db.write() as conn:
        version = await store.add_version(
            conn,
            services.event.id,
            room,
            name=name,
            kind=kind,
            state=live.state(),
            text=str(live),
            by=by,
        )
    services.publisher.send_volatile(
        "notes:versions",
        {"room": room, "version": version},
        audiences.notes(services.event.id, room),
    )
    return version


@router.on("notes:restore", VersionRef, Permission.FACILITATOR)
async def restore(ctx: Context, payload: VersionRef) -> dict[str, Any]:
    """The version's text comes back as a new edit on top of the document as it is."""
    _notes_room(ctx, payload.room)
    async with ctx.services.db.read() as conn:
        found = await store.version(conn, ctx.event_id, payload.room, payload.id)
    if found is None:
        raise Refused("notes.version_not_found")
    live = await ctx.services.parts[NotesDocs].fresh(payload.room)
    edit = edit_to(live.state(), found[2])
    seq = await apply_update(ctx.services, ctx, payload.room, edit, by_server=True)
    return {"notes_seq": seq, "version": found[0]}


# --- the lifetime -------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def _lifetime(services: Services) -> AsyncIterator[None]:
    docs = services.parts.add(NotesDocs(services))
    writer = services.parts.add(NotesWriter(services.db, services.event.id))
    writers = services.parts.add(Writers())
    services.sio.manager.observers.append(docs.observe)

    async def left(connection: Connection, room: str) -> None:
        session = writers.by_sid.get(connection.sid)
        if session is None or session.room != room:
            return
        del writers.by_sid[connection.sid]
        audience = audiences.notes(services.event.id, room)
        await services.sio.leave_room(connection.sid, audience)
        services.publisher.send_volatile(
            "notes:gone", {"room": room, "clients": [session.client]}, audience
        )

    async def phase_closed(services: Services) -> None:
        """Every workshop's notes are kept as a version when the phase closes."""
        async with services.db.read() as conn:
            rooms = await store.rooms_with_notes(conn, services.event.id)
        at = utcnow().astimezone(services.event.zone)
        name = services.i18n.gettext(services.event.language, CLOSING_NAME) % {
            "time": f"{at:%H:%M}"
        }
        for room in rooms:
            await keep_version(services, room, name=name, kind="auto", by=None)

    services.room_hooks.leave.append(left)
    services.parts[PhaseHooks].closed.append(phase_closed)
    try:
        async with running(services, lambda _: docs.run()):
            yield
    finally:
        services.parts[PhaseHooks].closed.remove(phase_closed)
        services.room_hooks.leave.remove(left)
        services.sio.manager.observers.remove(docs.observe)
        await writer.close()
        await docs.close()
        for kind in (NotesDocs, NotesWriter, Writers):
            services.parts.remove(kind)


capability = Capability("notes", router, lifetime=_lifetime, routes=notes_routes)
