"""workshops:* (the moderator runs the afternoon) and workshop:* (people in the rooms)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import unicodedata
from collections.abc import AsyncIterator
from typing import Any, Literal

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.roles import Permission, Role
from conference.clock import utcnow
from conference.realtime import audiences, room_log
from conference.realtime.capability import Capability, running
from conference.realtime.dispatch import Context, NoPayload, Payload, Router
from conference.realtime.errors import Refused
from conference.rooms.handlers import leave_room
from conference.rooms.registry import PLENARY, ROOMS_CHANGED, read_workshops
from conference.services import Services
from conference.storage import locks
from conference.storage.tables import rooms as rooms_table
from conference.workshops import help as help_store
from conference.workshops import phase as phases
from conference.workshops import seats, service
from conference.workshops.phase import BROADCAST as PHASE_BROADCAST
from conference.workshops.phase import Phase
from conference.workshops.routes import where_to, workshop_routes
from conference.workshops.service import PhaseHooks, SeatCounts

log = logging.getLogger(__name__)
router = Router()
CLOCK_TICK = 0.5
MAX_MINUTES = 8 * 60

Mode = Literal["assigned", "choose"]
RoomId = Field(min_length=1, max_length=64)


class PhaseOpen(Payload):
    minutes: int = Field(ge=1, le=MAX_MINUTES)
    mode: Mode | None = None


class PhaseExtend(Payload):
    minutes: int = Field(ge=-MAX_MINUTES, le=MAX_MINUTES)


class PhaseReturn(Payload):
    seconds: int = Field(default=phases.RETURN_SECONDS, ge=0, le=600)


class ModeSet(Payload):
    mode: Mode


class AssignRun(Payload):
    reset: bool = False


class SeatMove(Payload):
    people: list[str] = Field(min_length=1, max_length=2000)
    room: str | None = Field(default=None, min_length=1, max_length=64)
    waitlist: bool = False


class RoomSave(Payload):
    id: str | None = Field(default=None, min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    capacity: int = Field(default=40, ge=1, le=10_000)
    facilitator: str = Field(default="", max_length=120)
    video_url: str = Field(default="", max_length=500, pattern=r"^(https://\S+)?$")


class Choose(Payload):
    room: str = RoomId


class HelpAsk(Payload):
    room: str = RoomId
    message: str = Field(default="", max_length=300)


class HelpRef(Payload):
    id: str = Field(min_length=1, max_length=32)


# --- the phase ----------------------------------------------------------------------------


def _phase_ack(phase: Phase) -> dict[str, Any]:
    return {"phase": phase.public(), "now": utcnow().isoformat()}


@router.on("workshops:open", PhaseOpen, Permission.MODERATOR)
async def open_phase(ctx: Context, payload: PhaseOpen) -> dict[str, Any]:
    """Everyone goes to their room: the timer runs for `minutes`; in "assigned" mode the
    participants without a seat are placed first."""
    if not ctx.services.rooms.workshops():
        raise Refused("workshop.no_rooms")

    def change(phase: Phase, now: Any) -> Phase:
        if payload.mode is not None:
            phase = phase.with_mode(payload.mode)
        return phase.opened(now, payload.minutes)

    return _phase_ack(await service.change_phase(ctx.services, change))


@router.on("workshops:extend", PhaseExtend, Permission.MODERATOR)
async def extend(ctx: Context, payload: PhaseExtend) -> dict[str, Any]:
    """More time (or less, with a negative number; never ending it at once)."""
    phase = await service.change_phase(
        ctx.services, lambda phase, now: phase.extended(now, payload.minutes)
    )
    return _phase_ack(phase)


@router.on("workshops:return", PhaseReturn, Permission.MODERATOR)
async def bring_back(ctx: Context, payload: PhaseReturn) -> dict[str, Any]:
    """Bring everyone back to the plenary after a countdown every room sees."""
    phase = await service.change_phase(
        ctx.services, lambda phase, now: phase.returning(now, payload.seconds)
    )
    return _phase_ack(phase)


@router.on("workshops:close", NoPayload, Permission.MODERATOR)
async def close_phase(ctx: Context, payload: NoPayload) -> dict[str, Any]:
    """End the phase now: every page returns to the plenary."""
    return _phase_ack(await service.change_phase(ctx.services, lambda p, now: p.closed(now)))


@router.on("workshops:mode", ModeSet, Permission.MODERATOR)
async def set_mode(ctx: Context, payload: ModeSet) -> dict[str, Any]:
    """ "assigned": the moderator places people; "choose": participants take free seats."""
    phase = await service.change_phase(ctx.services, lambda p, _: p.with_mode(payload.mode))
    return _phase_ack(phase)


# --- seats --------------------------------------------------------------------------------


@router.on("workshops:assign", AssignRun, Permission.MODERATOR)
async def assign(ctx: Context, payload: AssignRun) -> dict[str, Any]:
    """Seat everyone without a seat from their registration's first and second choice."""
    async with ctx.services.db.write() as conn:
        placed = await service.place_everyone(ctx.services, conn, reset=payload.reset)
    service.announce_seats(ctx.services, list(placed.changed))
    return {"seated": placed.seated, "waiting": placed.waiting, "kept": placed.kept}


@router.on("workshops:move", SeatMove, Permission.MODERATOR)
async def move(ctx: Context, payload: SeatMove) -> dict[str, Any]:
    """Move people by hand (room null: no seat); a full room refuses each person beyond its
    capacity unless they go on its waitlist."""
    services = ctx.services
    if payload.room is not None:
        target = await services.rooms.get(payload.room)
        if target is None or not target.is_workshop:
            raise Refused("room.unknown")
    moved: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    changed: list[seats.Seat | tuple[str, None]] = []
    async with services.db.write() as conn:
        found = await service.people_by_id(conn, set(payload.people))
        for person_id in dict.fromkeys(payload.people):
            person = found.get(person_id)
            if person is None or person.event_id != ctx.event_id:
                refused.append({"person_id": person_id, "code": "person.not_found"})
                continue
            if person.role != Role.PARTICIPANT:
                refused.append({"person_id": person_id, "code": "workshop.not_participant"})
                continue
            try:
                result = await seats.take(
                    conn,
                    ctx.event_id,
                    person_id,
                    payload.room,
                    source="manual",
                    waitlist=payload.waitlist,
                )
            except Refused as exc:
                refused.append({"person_id": person_id, "code": exc.code})
                continue
            changed.append(result.seat or (person_id, None))
            changed.extend(result.promoted)
            moved.append({"person_id": person_id, "seat": _public(result.seat)})
    service.announce_seats(services, changed)
    return {"moved": moved, "refused": refused}


def _public(seat: seats.Seat | None) -> dict[str, Any] | None:
    return seat.public() if seat else None


@router.on("workshop:choose", Choose)
async def choose(ctx: Context, payload: Choose) -> dict[str, Any]:
    """A participant takes a free seat: always in "choose" mode, and while the phase runs
    when they have none (or only a place on a waitlist)."""
    services, person = ctx.services, ctx.person
    if person.role != Role.PARTICIPANT:
        raise Refused("workshop.not_participant")
    room = await services.rooms.get(payload.room)
    if room is None or not room.is_workshop:
        raise Refused("room.unknown")
    async with services.db.write() as conn:
        phase = await phases.read(conn, ctx.event_id)
        mine = await seats.of_person(conn, ctx.event_id, person.id)
        unseated = mine is None or mine.waiting
        if phase.mode != "choose" and not (phase.running and unseated):
            raise Refused("workshop.choice_closed")
        result = await seats.take(conn, ctx.event_id, person.id, room.id, source="choice")
    service.announce_seats(services, [result.seat or (person.id, None), *result.promoted])
    return {"seat": _public(result.seat)}


# --- rooms --------------------------------------------------------------------------------


def _slug(title: str, taken: set[str]) -> str:
    text = title.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40] or "raum"
    slug, number = base, 2
    while slug in taken or slug == PLENARY:
        slug, number = f"{base}-{number}", number + 1
    return slug


@router.on("workshops:room", RoomSave, Permission.MODERATOR)
async def save_room(ctx: Context, payload: RoomSave) -> dict[str, Any]:
    """Add a workshop room live, or change one (a room changed here keeps the console's
    values over the event file's)."""
    services = ctx.services
    values = payload.model_dump(exclude={"id"}) | {"source": "live"}
    async with services.db.write() as conn:
        # rooms added at once take turns for their id and position
        await locks.exclusive(conn, "rooms", ctx.event_id)
        existing = {room.id: room for room in await read_workshops(conn, ctx.event_id)}
        if payload.id is None:
            room_id = _slug(payload.title, set(existing))
            position = max((room.position for room in existing.values()), default=-1) + 1
            await conn.execute(
                rooms_table.insert().values(
                    event_id=ctx.event_id,
                    id=room_id,
                    position=position,
                    created_at=utcnow(),
                    **values,
                )
            )
        else:
            room_id = payload.id
            if room_id not in existing:
                raise Refused("room.unknown")
            await conn.execute(
                rooms_table.update()
                .where(rooms_table.c.event_id == ctx.event_id, rooms_table.c.id == room_id)
                .values(**values)
            )
        listed = await read_workshops(conn, ctx.event_id)
        entry = await room_log.append(
            conn,
            ctx.event_id,
            room_log.EVENT_STREAM,
            ROOMS_CHANGED,
            {"rooms": [room.public() for room in listed]},
        )
        seats_freed = await seats.fill_from_waitlist(
            conn, ctx.event_id, room_id, await seats.lock_rooms(conn, ctx.event_id, [room_id])
        )
    services.rooms.set_workshops(listed)
    services.publisher.send(entry, audiences.event(ctx.event_id))
    service.announce_seats(services, list(seats_freed))
    room = next(room for room in listed if room.id == room_id)
    return {"room": room.public()}


# --- help ---------------------------------------------------------------------------------


@router.on("workshop:help", HelpAsk)
async def ask_help(ctx: Context, payload: HelpAsk) -> dict[str, Any]:
    """Call a moderator into the room; one open call per room is enough."""
    ctx.require_joined(payload.room)
    if payload.room == PLENARY:
        raise Refused("room.unknown")
    async with ctx.services.db.write() as conn:
        request = await help_store.ask(
            conn, ctx.event_id, payload.room, ctx.person.id, payload.message
        )
    ctx.services.publisher.send_volatile(
        "workshop:help",
        {"room": payload.room, "request": request},
        audiences.managers(ctx.event_id, payload.room),
    )
    return {"request": request}


@router.on("workshops:help_answer", HelpRef, Permission.MODERATOR)
async def answer_help(ctx: Context, payload: HelpRef) -> dict[str, Any]:
    """The moderator is on the way: the room sees it."""
    async with ctx.services.db.write() as conn:
        request = await help_store.get(conn, ctx.event_id, payload.id)
        if request is None:
            raise Refused("workshop.help_not_found")
        await help_store.answer(conn, payload.id, ctx.person.id)
        request = await help_store.get(conn, ctx.event_id, payload.id)
    assert request is not None
    room = request["room"]
    data = {"room": room, "request": request, "by": ctx.person.name}
    for audience in (audiences.managers(ctx.event_id, room), audiences.room(ctx.event_id, room)):
        ctx.services.publisher.send_volatile("workshop:help_answered", data, audience)
    return {"request": request}


# --- the console's overview ---------------------------------------------------------------


@router.on("workshops:overview", NoPayload, Permission.MODERATOR)
async def overview(ctx: Context, payload: NoPayload) -> dict[str, Any]:
    """Per room: who is there now, whether its facilitator is, seats, open calls for help."""
    services = ctx.services
    async with services.db.read() as conn:
        counts = await service.room_counts(services, conn)
        facilitators = await service.facilitators_by_room(conn, ctx.event_id)
        open_help = await help_store.open_in_room(conn, ctx.event_id)
        present = {
            room.id: await services.state.presence_people(room.id)
            for room in services.rooms.workshops()
        }
        names = await service.people_by_id(conn, set().union(*present.values()))
    result = []
    for room in services.rooms.workshops():
        here = present[room.id]
        result.append(
            {
                **room.public(),
                **counts[room.id],
                "present": len(here),
                "people": sorted(
                    ({"id": p.id, "name": p.name, "role": p.role} for p in _known(names, here)),
                    key=lambda p: (p["role"] != Role.FACILITATOR, p["name"].casefold()),
                ),
                "facilitators": [
                    {"id": f.id, "name": f.name, "present": f.id in here}
                    for f in facilitators.get(room.id, [])
                ],
                "help": [h for h in open_help if h["room"] == room.id],
            }
        )
    return {"rooms": result, "now": utcnow().isoformat()}


def _known(names: dict[str, Any], ids: set[str]) -> list[Any]:
    return [names[i] for i in ids if i in names]


@router.on("workshops:people", NoPayload, Permission.MODERATOR)
async def people_list(ctx: Context, payload: NoPayload) -> dict[str, Any]:
    """Every participant with their choices and seat, in the order they registered."""
    async with ctx.services.db.read() as conn:
        everyone = await service.participants(conn, ctx.event_id)
        by_person = {seat.person_id: seat for seat in await seats.all_seats(conn, ctx.event_id)}
    return {
        "people": [
            {
                "id": person.id,
                "name": person.name,
                "organisation": person.organisation,
                "first": person.workshop_first,
                "second": person.workshop_second,
                "seat": _public(by_person.get(person.id)),
            }
            for person in everyone
        ]
    }


# --- the snapshot -------------------------------------------------------------------------


async def _shared(
    services: Services, conn: AsyncConnection, room: str, manager: bool
) -> dict[str, Any]:
    counts = await service.room_counts(services, conn)
    part: dict[str, Any] = {
        "phase": (await phases.read(conn, services.event.id)).public(),
        "rooms": [{**r.public(), **counts.get(r.id, {})} for r in services.rooms.workshops()],
        "manage": manager,
    }
    if manager:
        part["help"] = await help_store.open_in_room(
            conn, services.event.id, None if room == PLENARY else room
        )
    return part


async def _personal(ctx: Context, room: str, shared: dict[str, Any]) -> dict[str, Any]:
    """My seat (and where on a waitlist), my choices, and the server's clock for the timer."""
    person = ctx.person
    mine: dict[str, Any] | None = None
    if person.role == Role.PARTICIPANT and shared["rooms"]:
        seat = await ctx.services.parts[seats.SeatLookup].get(person.id)
        if seat is not None:
            position = None
            if seat.waiting:  # the few on a waitlist: where they stand
                async with ctx.services.db.read() as conn:
                    position = await seats.waitlist_position(conn, ctx.event_id, seat)
            mine = seat.public(position)
    return {
        **shared,
        "seat": mine,
        "choices": {"first": person.workshop_first, "second": person.workshop_second},
        "now": utcnow().isoformat(),
    }


# --- the lifetime: the clock, who is sent out of a room, the helpers ---------------------


async def _clock(services: Services) -> None:
    """When the end time passes, everyone is brought back, then the phase closes (one
    process at a time moves the clock on)."""
    while True:
        await asyncio.sleep(CLOCK_TICK)
        try:
            if not await services.state.claim(
                "workshops-clock", services.process_id, CLOCK_TICK * 0.9
            ):
                continue
            phase = await service.current_phase(services)
            if phase.due(utcnow()) is not None:
                await service.change_phase(services, lambda p, now: p.due(now))
        except Exception:
            log.exception("the workshop clock failed; trying again")


class SendOut:
    """Participants leave workshop rooms they no longer belong to, on every process: when the
    phase closes, and when their seat moves."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._tasks: set[asyncio.Task[None]] = set()

    def observe(self, event: str, data: Any, audience: Any) -> None:
        if not isinstance(data, dict):
            return
        if event == PHASE_BROADCAST:
            if not Phase.from_stored(data.get("phase")).running:
                self._schedule(None, None)
        elif event == service.SEAT_NOTICE and isinstance(data.get("person_id"), str):
            seat = data.get("seat")
            keep = seat.get("room") if isinstance(seat, dict) and not seat.get("waiting") else None
            self._schedule(data["person_id"], keep)

    def _schedule(self, person_id: str | None, keep: str | None) -> None:
        task = asyncio.get_running_loop().create_task(self._send_out(person_id, keep))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send_out(self, person_id: str | None, keep: str | None) -> None:
        """Participants (one, or all) out of every workshop room but `keep`."""
        for connection in list(self.services.connections.values()):
            person = connection.person
            if person.role != Role.PARTICIPANT or (person_id and person.id != person_id):
                continue
            for room in [r for r in connection.rooms if r not in (PLENARY, keep)]:
                await leave_room(self.services, connection, room)

    async def close(self) -> None:
        await asyncio.gather(*self._tasks, return_exceptions=True)


@contextlib.asynccontextmanager
async def _lifetime(services: Services) -> AsyncIterator[None]:
    services.parts.add(SeatCounts(services))
    services.parts.add(PhaseHooks())
    services.parts.add(seats.SeatLookup(services.db, services.event.id))
    send_out = SendOut(services)
    services.sio.manager.observers.append(send_out.observe)

    async def admit(person: Any, room: str, shared: dict[str, Any]) -> None:
        await service.admit(services, person, room, shared)

    async def belongs(person: Any) -> str | None:
        return await where_to(services, person)

    services.room_hooks.admit.append(admit)
    services.room_hooks.belongs.append(belongs)
    try:
        async with running(services, _clock):
            yield
    finally:
        services.room_hooks.admit.remove(admit)
        services.room_hooks.belongs.remove(belongs)
        services.sio.manager.observers.remove(send_out.observe)
        await send_out.close()
        await services.parts[SeatCounts].close()
        services.parts.remove(SeatCounts)
        services.parts.remove(PhaseHooks)
        services.parts.remove(seats.SeatLookup)


capability = Capability(
    "workshops",
    router,
    shared=_shared,
    personal=_personal,
    lifetime=_lifetime,
    routes=workshop_routes,
)
