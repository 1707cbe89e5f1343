"""Everything the report shows, read from SQL in one go (the durable records are the truth).

Names are read only with `names=True`, and then only of people who agreed at registration
(`consent_at`); without it, nothing here holds a participant's name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.roles import Role
from conference.clock import aware, utcnow
from conference.events import state_store
from conference.events.model import Event
from conference.gallery import service as gallery
from conference.gallery import store as gallery_store
from conference.polls import store as poll_store
from conference.polls.export import answer_text, results_of
from conference.privacy.registry import PERSONAL_DATA
from conference.privacy.retention import RECORD_KEY
from conference.qa.store import VISIBLE
from conference.reactions import store as reaction_store
from conference.realtime.room_log import EVENT_STREAM
from conference.report import attendance as counting
from conference.report.notes import phase_close_notes
from conference.rooms.registry import PLENARY, Room, read_workshops
from conference.storage.db import Database
from conference.storage.tables import (
    attendance,
    people,
    poll_votes,
    question_votes,
    questions,
    room_log,
    workshop_seats,
)

CURVE_STEP = dt.timedelta(minutes=5)
MAX_POINTS = 300


@dataclass(frozen=True, slots=True)
class AgendaRow:
    start: dt.time
    end: dt.time
    title: str
    kind: str
    speakers: list[str]
    began_at: dt.datetime | None  # when the moderator made it the current item


@dataclass(frozen=True, slots=True)
class RoomCount:
    room: str
    title: str
    capacity: int
    seats: int
    waiting: int
    entered: int
    peak: int


@dataclass(frozen=True, slots=True)
class Attendance:
    registered: int
    joined: int
    peak: int
    peak_at: dt.datetime | None
    curve: list[tuple[dt.datetime, int, int, int]]  # time, everyone, plenary, workshops
    rooms: list[RoomCount]


@dataclass(frozen=True, slots=True)
class NamedAnswer:
    name: str
    organisation: str
    answer: str


@dataclass(frozen=True, slots=True)
class PollPart:
    poll: dict[str, Any]
    results: dict[str, Any]
    named: list[NamedAnswer] | None  # only with names, only of people who agreed


@dataclass(frozen=True, slots=True)
class QuestionRow:
    room: str
    body: str
    status: str
    votes: int
    author: str | None  # only with names, only of people who agreed and asked openly


@dataclass(frozen=True, slots=True)
class WorkshopPart:
    room: Room
    counts: RoomCount
    results: list[dict[str, Any]]  # published key results, most votes first
    notes: str | None  # markdown, as of the phase-close version
    people: list[str]  # only with names, only of people who agreed


@dataclass(frozen=True, slots=True)
class Retained:
    """One kind of personal data: the day it is deleted, and when it was if it already was."""

    title: str  # an English message id (conference/privacy/declaration.py)
    due: dt.date  # in the event's zone, as `deleted_on`
    deleted_on: dt.date | None


@dataclass(frozen=True, slots=True)
class ReportData:
    event: Event
    built_at: dt.datetime
    names: bool
    participants: int
    consented: int
    removed: int
    agenda: list[AgendaRow]
    attendance: Attendance
    polls: list[PollPart]
    questions: list[QuestionRow]
    question_counts: dict[str, int]
    workshops: list[WorkshopPart]
    room_titles: dict[str, str] = field(default_factory=dict)
    reactions: list[tuple[dt.datetime, str, int]] = field(default_factory=list)  # minute, emoji, n
    retention: list[Retained] = field(default_factory=list)


def person_label(name: str, organisation: str) -> str:
    return f"{name} ({organisation})" if organisation else name


async def _agenda(conn: AsyncConnection, event: Event) -> list[AgendaRow]:
    """The agenda of the file, with the time each item became current."""
    query = (
        sa.select(room_log.c.data, room_log.c.created_at)
        .where(
            room_log.c.event_id == event.id,
            room_log.c.room == EVENT_STREAM,
            room_log.c.type == "agenda:current",
        )
        .order_by(room_log.c.seq)
    )
    began: dict[str, dt.datetime] = {}
    for row in await conn.execute(query):
        item = (row.data or {}).get("current_item")
        if isinstance(item, str) and item not in began:
            began[item] = aware(row.created_at)
    return [
        AgendaRow(
            item.start, item.end, item.title, item.kind, list(item.speakers), began.get(item.id)
        )
        for item in event.agenda
    ]


async def _visits(conn: AsyncConnection, event: Event, now: dt.datetime) -> list[counting.Visit]:
    """Participants' visits; one still open ends now (or at the event's end, if that passed)."""
    until = now if now <= event.ends_at() + dt.timedelta(hours=2) else event.ends_at()
    query = sa.select(
        attendance.c.person_id, attendance.c.room, attendance.c.entered_at, attendance.c.left_at
    ).where(attendance.c.event_id == event.id, attendance.c.role == Role.PARTICIPANT.value)
    visits = []
    for row in await conn.execute(query):
        entered = aware(row.entered_at)
        left = aware(row.left_at) if row.left_at else max(entered, until)
        visits.append(counting.Visit(row.person_id, row.room, entered, left))
    return visits


async def _seats(conn: AsyncConnection, event_id: str) -> dict[str, tuple[int, int]]:
    query = (
        sa.select(workshop_seats.c.room, workshop_seats.c.waiting, sa.func.count().label("n"))
        .where(workshop_seats.c.event_id == event_id)
        .group_by(workshop_seats.c.room, workshop_seats.c.waiting)
    )
    found: dict[str, tuple[int, int]] = {}
    for row in await conn.execute(query):
        seats, waiting = found.get(row.room, (0, 0))
        found[row.room] = (seats, waiting + row.n) if row.waiting else (seats + row.n, waiting)
    return found


def _attendance(
    event: Event,
    visits: list[counting.Visit],
    registered: int,
    rooms: list[Room],
    seats: dict[str, tuple[int, int]],
) -> Attendance:
    plenary = [v for v in visits if v.room == PLENARY]
    workshops = [v for v in visits if v.room != PLENARY]
    # the day as it ran (the planned one when nobody came)
    start = min((v.entered_at for v in visits), default=event.starts_at())
    end = max((v.left_at for v in visits), default=event.ends_at())
    start = start.replace(minute=start.minute - start.minute % 5, second=0, microsecond=0)
    step = max(CURVE_STEP, (end - start) / MAX_POINTS)
    everyone = counting.curve(visits, start, end, step)
    in_plenary = counting.curve(plenary, start, end, step)
    in_workshops = counting.curve(workshops, start, end, step)
    top, top_at = counting.peak(visits)
    counts = []
    for room in rooms:
        here = [v for v in visits if v.room == room.id]
        taken, waiting = seats.get(room.id, (0, 0))
        counts.append(
            RoomCount(
                room.id,
                room.title,
                room.capacity or 0,
                taken,
                waiting,
                len({v.person_id for v in here}),
                counting.peak(here)[0],
            )
        )
    return Attendance(
        registered=registered,
        joined=len({v.person_id for v in visits}),
        peak=top,
        peak_at=top_at,
        curve=[
            (when, n, p, w)
            for (when, n), (_, p), (_, w) in zip(everyone, in_plenary, in_workshops, strict=True)
        ],
        rooms=counts,
    )


async def _named_answers(conn: AsyncConnection, poll: dict[str, Any]) -> list[NamedAnswer]:
    query = (
        sa.select(people.c.name, people.c.organisation, poll_votes.c.answer)
        .join(people, people.c.id == poll_votes.c.person_id)
        .where(
            poll_votes.c.poll_id == poll["id"],
            people.c.consent_at.is_not(None),
            people.c.removed_at.is_(None),  # removed by the moderators: no name, as elsewhere
        )
        .order_by(people.c.name)
    )
    return [
        NamedAnswer(row.name, row.organisation, answer_text(poll, dict(row.answer)))
        for row in await conn.execute(query)
    ]


async def _questions(
    conn: AsyncConnection, event_id: str, names: bool
) -> tuple[list[QuestionRow], dict[str, int]]:
    votes = (
        sa.select(sa.func.count())
        .select_from(question_votes)
        .where(question_votes.c.question_id == questions.c.id)
        .scalar_subquery()
    )
    query = (
        sa.select(
            questions.c.room,
            questions.c.body,
            questions.c.status,
            questions.c.anonymous,
            votes.label("votes"),
            people.c.name,
            people.c.organisation,
            people.c.consent_at,
            people.c.removed_at,
        )
        .join(people, people.c.id == questions.c.person_id)
        .where(questions.c.event_id == event_id)
        .order_by(questions.c.created_at)
    )
    rows, counts = [], {"answered": 0, "approved": 0, "held": 0, "rejected": 0}
    for row in await conn.execute(query):
        counts[row.status] = counts.get(row.status, 0) + 1
        if row.status not in VISIBLE:
            continue
        author = None
        if names and not row.anonymous and row.consent_at is not None and row.removed_at is None:
            author = person_label(row.name, row.organisation)
        rows.append(QuestionRow(row.room, row.body, row.status, int(row.votes), author))
    rows.sort(key=lambda q: (q.status != "answered", -q.votes))
    return rows, counts


async def _seated_names(conn: AsyncConnection, event_id: str, room: str) -> list[str]:
    query = (
        sa.select(people.c.name, people.c.organisation)
        .join(workshop_seats, workshop_seats.c.person_id == people.c.id)
        .where(
            workshop_seats.c.event_id == event_id,
            workshop_seats.c.room == room,
            workshop_seats.c.waiting == sa.false(),
            people.c.consent_at.is_not(None),
            people.c.removed_at.is_(None),
        )
        .order_by(people.c.name)
    )
    return [person_label(row.name, row.organisation) for row in await conn.execute(query)]


async def _count(conn: AsyncConnection, *conditions: Any) -> int:
    query = sa.select(sa.func.count()).select_from(people).where(*conditions)
    return int((await conn.execute(query)).scalar_one())


async def gather(
    db: Database, event: Event, *, names: bool, now: dt.datetime | None = None
) -> ReportData:
    """Read everything the report shows."""
    now = now or utcnow()
    async with db.read() as conn:
        rooms = await read_workshops(conn, event.id)
        participant = (people.c.event_id == event.id, people.c.role == Role.PARTICIPANT.value)
        registered = await _count(conn, *participant, people.c.removed_at.is_(None))
        consented = await _count(
            conn, *participant, people.c.removed_at.is_(None), people.c.consent_at.is_not(None)
        )
        removed = await _count(conn, *participant, people.c.removed_at.is_not(None))
        agenda = await _agenda(conn, event)
        seats = await _seats(conn, event.id)
        counted = _attendance(event, await _visits(conn, event, now), registered, rooms, seats)
        polls = []
        for poll in await poll_store.of_event(conn, event.id):
            named = None
            if names and not poll["settings"].get("anonymous", True):
                named = await _named_answers(conn, poll)
            polls.append(PollPart(poll, await results_of(conn, poll), named))
        asked, question_counts = await _questions(conn, event.id, names)
        workshops = []
        by_room = {count.room: count for count in counted.rooms}
        for room in rooms:
            results = [
                r for r in await gallery_store.of_room(conn, event.id, room.id) if r["published_at"]
            ]
            workshops.append(
                WorkshopPart(
                    room=room,
                    counts=by_room[room.id],
                    results=gallery.ranked(results),
                    notes=await phase_close_notes(conn, event.id, room.id),
                    people=await _seated_names(conn, event.id, room.id) if names else [],
                )
            )
        reactions = await reaction_store.per_minute(conn, event.id)
        deleted = (await state_store.get_all(conn, event.id)).get(RECORD_KEY) or {}
    titles = {room.id: room.title for room in rooms}
    return ReportData(
        event=event,
        built_at=now,
        names=names,
        participants=registered,
        consented=consented,
        removed=removed,
        agenda=agenda,
        attendance=counted,
        polls=polls,
        questions=asked,
        question_counts=question_counts,
        workshops=workshops,
        room_titles=titles,
        reactions=reactions,
        retention=_retention(event, deleted),
    )


def _retention(event: Event, deleted: dict[str, Any]) -> list[Retained]:
    """Each kind of personal data the privacy page lists, with its deletion day and, from the
    deletion job's record (conference/privacy/retention.py), when it was deleted."""
    kept = []
    for declaration in PERSONAL_DATA:
        record = deleted.get(declaration.name)
        kept.append(
            Retained(
                title=declaration.title,
                due=event.deletion_due(declaration.kind).astimezone(event.zone).date(),
                deleted_on=(
                    dt.datetime.fromisoformat(record["at"]).astimezone(event.zone).date()
                    if record
                    else None
                ),
            )
        )
    return kept
