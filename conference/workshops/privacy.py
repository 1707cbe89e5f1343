"""Workshop seats, attendance and calls for help as personal data
(conference/privacy/declaration.py)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.clock import iso
from conference.events import state_store
from conference.privacy.declaration import N_, Expiring, Forgetting, PersonalData
from conference.realtime import audiences
from conference.storage.tables import attendance, help_requests, workshop_seats
from conference.workshops import seats
from conference.workshops.service import SEAT_NOTICE

ATTENDANCE_TOTALS = "attendance:totals"  # event_state: people and visits per room, no names


# --- seats ---------------------------------------------------------------------------------


async def export_seat(conn: AsyncConnection, event_id: str, person_id: str) -> Any:
    seat = await seats.of_person(conn, event_id, person_id)
    if seat is None:
        return None
    return {
        "room": seat.room,
        "on_waitlist": seat.waiting,
        "how": seat.source,
        "since": iso(seat.updated_at),
    }


async def forget_seats(conn: AsyncConnection, forgetting: Forgetting) -> None:
    """The seat is given up, so the next person on the room's waitlist moves up (and is told)."""
    for person_id in sorted(forgetting.person_ids):
        if await seats.of_person(conn, forgetting.event_id, person_id) is None:
            continue
        moved = await seats.take(conn, forgetting.event_id, person_id, None, source="manual")
        for seat in moved.promoted:
            notice = {"person_id": seat.person_id, "seat": seat.public()}
            audience = audiences.person(forgetting.event_id, seat.person_id)
            forgetting.notices.append((SEAT_NOTICE, notice, audience))


async def expire_seats(conn: AsyncConnection, expiring: Expiring) -> int:
    result = await conn.execute(
        workshop_seats.delete().where(workshop_seats.c.event_id == expiring.event_id)
    )
    return int(result.rowcount)


# --- attendance ----------------------------------------------------------------------------


async def export_attendance(conn: AsyncConnection, event_id: str, person_id: str) -> Any:
    query = (
        sa.select(attendance.c.room, attendance.c.entered_at, attendance.c.left_at)
        .where(attendance.c.event_id == event_id, attendance.c.person_id == person_id)
        .order_by(attendance.c.entered_at)
    )
    return [
        {"room": row.room, "entered_at": iso(row.entered_at), "left_at": iso(row.left_at)}
        for row in await conn.execute(query)
    ]


async def forget_attendance(conn: AsyncConnection, forgetting: Forgetting) -> None:
    """Visits keep counting in how many were in each room, under the nameless placeholder."""


async def expire_attendance(conn: AsyncConnection, expiring: Expiring) -> int:
    """How many people and visits each room had stays for the report; the visits go."""
    of_event = attendance.c.event_id == expiring.event_id
    query = (
        sa.select(
            attendance.c.room,
            sa.func.count(sa.distinct(attendance.c.person_id)).label("people"),
            sa.func.count().label("visits"),
        )
        .where(of_event)
        .group_by(attendance.c.room)
    )
    totals = {
        row.room: {"people": row.people, "visits": row.visits} for row in await conn.execute(query)
    }
    if totals:
        kept = (await state_store.get_all(conn, expiring.event_id)).get(ATTENDANCE_TOTALS) or {}
        await state_store.put(conn, expiring.event_id, ATTENDANCE_TOTALS, {**kept, **totals})
    result = await conn.execute(attendance.delete().where(of_event))
    return int(result.rowcount)


# --- calls for help ------------------------------------------------------------------------


async def export_help(conn: AsyncConnection, event_id: str, person_id: str) -> Any:
    query = (
        sa.select(help_requests)
        .where(help_requests.c.event_id == event_id, help_requests.c.person_id == person_id)
        .order_by(help_requests.c.created_at)
    )
    return [
        {
            "room": row.room,
            "message": row.message,
            "asked_at": iso(row.created_at),
            "answered_at": iso(row.answered_at),
        }
        for row in await conn.execute(query)
    ]


async def forget_help(conn: AsyncConnection, forgetting: Forgetting) -> None:
    await conn.execute(
        help_requests.delete().where(
            help_requests.c.event_id == forgetting.event_id,
            help_requests.c.person_id.in_(forgetting.person_ids),
        )
    )


async def expire_help(conn: AsyncConnection, expiring: Expiring) -> int:
    result = await conn.execute(
        help_requests.delete().where(help_requests.c.event_id == expiring.event_id)
    )
    return int(result.rowcount)


workshop_seat = PersonalData(
    name="workshop_seat",
    kind="registrations",
    tables=(workshop_seats,),
    title=N_("Workshop seat"),
    what=N_("Which workshop you have a seat in, or are on the waitlist for."),
    purpose=N_("To share the workshops' seats fairly and let you into your room."),
    on_withdrawal=N_("Given up: the next person on the waitlist gets the seat."),
    export=export_seat,
    forget=forget_seats,
    expire=expire_seats,
)

room_attendance = PersonalData(
    name="attendance",
    kind="attendance",
    tables=(attendance,),
    title=N_("Attendance"),
    what=N_("When you entered and left the plenary and the workshop rooms."),
    purpose=N_("To count how many took part in each room, for the event's report."),
    on_withdrawal=N_("Your visits keep counting in how many were in each room, without your name."),
    export=export_attendance,
    forget=forget_attendance,
    expire=expire_attendance,
)

help_calls = PersonalData(
    name="help_requests",
    kind="chat",
    tables=(help_requests,),
    title=N_("Calls for help"),
    what=N_("When you call the moderation into a workshop room, with your message."),
    purpose=N_("To bring help to the room."),
    on_withdrawal=N_("Deleted."),
    export=export_help,
    forget=forget_help,
    expire=expire_help,
)
