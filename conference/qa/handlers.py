"""question:ask, moderation (approve, reject, edit, answered, pin) and upvotes."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from pydantic import Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import get_person
from conference.auth.roles import Permission
from conference.clock import utcnow
from conference.qa import pinning, store
from conference.qa.routes import qa_routes
from conference.realtime import audiences, room_log
from conference.realtime.capability import Capability
from conference.realtime.coalesce import Coalescer
from conference.realtime.dispatch import Context, Payload, Router
from conference.realtime.errors import Refused
from conference.rooms.registry import PLENARY
from conference.services import Services
from conference.stage import service as stage

router = Router()
MAX_LENGTH = 500


class QuestionAsk(Payload):
    room: str = Field(min_length=1, max_length=64)
    body: str = Field(min_length=1, max_length=MAX_LENGTH)
    anonymous: bool = False


class QuestionRef(Payload):
    room: str = Field(min_length=1, max_length=64)
    id: str = Field(min_length=1, max_length=32)


class QuestionEdit(QuestionRef):
    body: str = Field(min_length=1, max_length=MAX_LENGTH)


class QuestionFlag(QuestionRef):
    value: bool = True


async def _load(
    ctx: Context, conn: AsyncConnection, payload: QuestionRef
) -> tuple[dict[str, Any], str]:
    row = await store.get(conn, ctx.event_id, payload.id)
    if row is None or row.room != payload.room:
        raise Refused("question.not_found")
    return store.as_question(row), row.person_id


def _publish(
    ctx: Context, question: dict[str, Any], asker: str, *entries: room_log.Entry | None
) -> None:
    pinning.publish(ctx.services, question, asker, *entries)


async def _log(
    ctx: Context, conn: AsyncConnection, before: dict[str, Any], after: dict[str, Any]
) -> room_log.Entry | None:
    """What the room sees of a change: the question appears, changes, or disappears."""
    was, now = before["status"] in store.VISIBLE, after["status"] in store.VISIBLE
    if now:
        return await room_log.append(
            conn, ctx.event_id, after["room"], "question:updated", {"question": after}
        )
    if was:
        await _take_back(ctx, conn, after)
        return await room_log.append(
            conn, ctx.event_id, after["room"], "question:hidden", {"id": after["id"]}
        )
    return None


async def _take_back(ctx: Context, conn: AsyncConnection, question: dict[str, Any]) -> None:
    """A question the room no longer sees (rejected) leaves the log's earlier copies too:
    `room:sync` replays `question:hidden` (or an empty pin) at their numbers, never its text."""
    question_id = question["id"]

    def change(type_: str, data: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
        copy = data.get("question")
        if not isinstance(copy, dict) or copy.get("id") != question_id:
            return None
        if type_ == "question:pinned":
            return type_, {"id": None, "question": None}
        return "question:hidden", {"id": question_id}

    await room_log.redact_matching(
        conn, ctx.event_id, question["room"], ("question:updated", "question:pinned"), change
    )


@router.on("question:ask", QuestionAsk)
async def ask(ctx: Context, payload: QuestionAsk) -> dict[str, Any]:
    """Held for moderation unless the event file turns that off (qa_moderated = false)."""
    ctx.require_joined(payload.room)
    status = "held" if ctx.services.event.qa_moderated else "approved"
    async with ctx.services.db.write() as conn:
        person = await get_person(conn, ctx.person.id)
        if person is None or person.removed:
            raise Refused("auth.required")
        if person.muted:
            raise Refused("chat.muted")
        question_id = await store.insert(
            conn,
            event_id=ctx.event_id,
            room=payload.room,
            person_id=person.id,
            body=payload.body,
            anonymous=payload.anonymous,
            status=status,
        )
        row = await store.get(conn, ctx.event_id, question_id)
        question = store.as_question(row)
        entry = await _log(ctx, conn, {"status": "held"}, question)
    _publish(ctx, question, ctx.person.id, entry)
    return {"question": question}


async def _moderate(ctx: Context, payload: QuestionRef, **values: Any) -> dict[str, Any]:
    """Change a question; one that leaves the pinned place (answered, rejected) is unpinned
    and leaves the stream."""
    unpin = values.get("pinned") is False
    async with ctx.services.db.write() as conn:
        before, asker = await _load(ctx, conn, payload)
        await store.update(conn, payload.id, **values)
        after, _ = await _load(ctx, conn, payload)
        entries = [await _log(ctx, conn, before, after)]
        staged = None
        if unpin:
            if before["pinned"] and after["status"] in store.VISIBLE:
                entries.append(
                    (await pinning.pin(conn, ctx.event_id, payload.room, payload.id, False))[1]
                )
            staged = await stage.clear_if(conn, ctx.event_id, ("question",), payload.id)
    _publish(ctx, after, asker, *entries)
    stage.announce(ctx.services, staged)
    return {"question": after}


@router.on("question:approve", QuestionRef, Permission.FACILITATOR)
async def approve(ctx: Context, payload: QuestionRef) -> dict[str, Any]:
    return await _moderate(ctx, payload, status="approved")


@router.on("question:reject", QuestionRef, Permission.FACILITATOR)
async def reject(ctx: Context, payload: QuestionRef) -> dict[str, Any]:
    """The asker is told (`question:rejected`, to them alone)."""
    async with ctx.services.db.read() as conn:
        before, asker = await _load(ctx, conn, payload)
    data = await _moderate(ctx, payload, status="rejected", pinned=False)
    if before["status"] != "rejected":
        question = data["question"]
        ctx.services.publisher.send_volatile(
            "question:rejected",
            {"room": question["room"], "id": question["id"], "body": question["body"]},
            audiences.person(ctx.event_id, asker),
        )
    return data


@router.on("question:edit", QuestionEdit, Permission.FACILITATOR)
async def edit(ctx: Context, payload: QuestionEdit) -> dict[str, Any]:
    """Moderators fix obvious typos."""
    return await _moderate(ctx, payload, body=payload.body, edited_at=utcnow())


@router.on("question:answered", QuestionFlag, Permission.FACILITATOR)
async def answered(ctx: Context, payload: QuestionFlag) -> dict[str, Any]:
    async with ctx.services.db.read() as conn:
        question, _ = await _load(ctx, conn, payload)
    if question["status"] not in store.VISIBLE:
        raise Refused("question.not_approved")
    if payload.value:  # answered: no longer the one being answered now
        return await _moderate(ctx, payload, status="answered", pinned=False)
    return await _moderate(ctx, payload, status="approved")


@router.on("question:pin", QuestionFlag, Permission.FACILITATOR)
async def pin(ctx: Context, payload: QuestionFlag) -> dict[str, Any]:
    """The question being answered now (one per room); `value: false` unpins it. In the
    plenary, pinning puts it on the stream and unpinning takes it off."""
    async with ctx.services.db.write() as conn:
        await pinning.take_turn(conn, ctx.event_id, payload.room)
        question, asker = await _load(ctx, conn, payload)
        if payload.value and question["status"] not in store.VISIBLE:
            raise Refused("question.not_approved")
        question, entry = await pinning.pin(
            conn, ctx.event_id, payload.room, payload.id, payload.value
        )
        staged = None
        if payload.room == PLENARY and payload.value:
            staged = await stage.put(conn, ctx.event_id, "question", payload.id)
        elif payload.room == PLENARY:
            staged = await stage.clear_if(conn, ctx.event_id, ("question",), payload.id)
    _publish(ctx, question, asker, entry)
    stage.announce(ctx.services, staged)
    return {"question": question}


class VoteCounts(Coalescer):
    """This process's coalesced `question:votes`: a few per second and question at most."""

    def __init__(self, services: Services) -> None:
        async def send(key: str) -> None:
            room, question_id = key.split("/", 1)
            async with services.db.read() as conn:
                votes = await store.count_votes(conn, question_id)
            data = {"room": room, "id": question_id, "votes": votes}
            event_id = services.event.id
            for audience in (
                audiences.room(event_id, room),
                audiences.managers(event_id, room),
                audiences.presenters(event_id),
            ):
                services.publisher.send_volatile("question:votes", data, audience)

        super().__init__(services.state, services.process_id, "question-votes", send)


async def _vote(ctx: Context, payload: QuestionRef, *, up: bool) -> dict[str, Any]:
    ctx.require_joined(payload.room)
    try:
        async with ctx.services.db.write() as conn:
            question, asker = await _load(ctx, conn, payload)
            if question["status"] not in store.VISIBLE:
                raise Refused("question.not_found")
            if up and asker == ctx.person.id:
                raise Refused("question.own_question")
            if up:
                await store.upvote(conn, payload.id, ctx.person.id)
            else:
                await store.unvote(conn, payload.id, ctx.person.id)
    except IntegrityError:
        raise Refused("question.already_upvoted") from None
    async with ctx.services.db.read() as conn:
        votes = await store.count_votes(conn, payload.id)
    ctx.services.parts[VoteCounts].touch(f"{payload.room}/{payload.id}")
    return {"id": payload.id, "votes": votes, "voted": up}


@router.on("question:upvote", QuestionRef)
async def upvote(ctx: Context, payload: QuestionRef) -> dict[str, Any]:
    """Once per person and question (the primary key says so)."""
    return await _vote(ctx, payload, up=True)


@router.on("question:unvote", QuestionRef)
async def unvote(ctx: Context, payload: QuestionRef) -> dict[str, Any]:
    """Take an upvote back (nothing happens when there was none)."""
    return await _vote(ctx, payload, up=False)


async def _shared(
    services: Services, conn: AsyncConnection, room: str, manager: bool
) -> dict[str, Any]:
    """The questions everyone sees (with the held ones for who manages the room), and how
    many were asked at all: without any, nobody has questions or upvotes to look up."""
    event_id = services.event.id
    return {
        "questions": await store.in_room(conn, event_id, room, held=manager),
        "asked": await store.count_in_room(conn, event_id, room),
        "manager": manager,
    }


async def _personal(ctx: Context, room: str, shared: dict[str, Any]) -> dict[str, Any]:
    """Which questions are mine (my held ones shown to me alone), which I upvoted, and
    whether asking is held."""
    shown = shared["questions"]
    mine: list[str] = []
    upvoted: list[str] = []
    if shared["asked"]:
        found = await ctx.services.parts[store.MineLookup].get((room, ctx.person.id))
        asked, upvoted = found or ([], [])
        mine = [q["id"] for q in asked]
        held = [q for q in asked if q["status"] == "held"]
        if held and not shared["manager"]:
            shown = sorted([*shown, *held], key=lambda q: q["created_at"] or "")
    return {
        "questions": shown,
        "mine": mine,
        "upvoted": upvoted,
        "moderated": ctx.services.event.qa_moderated,
        "max_length": MAX_LENGTH,
    }


@contextlib.asynccontextmanager
async def _lifetime(services: Services) -> AsyncIterator[None]:
    counts = services.parts.add(VoteCounts(services))
    services.parts.add(store.MineLookup(services.db, services.event.id))
    try:
        yield
    finally:
        await counts.close()
        services.parts.remove(VoteCounts)
        services.parts.remove(store.MineLookup)


capability = Capability(
    "qa", router, shared=_shared, personal=_personal, lifetime=_lifetime, routes=qa_routes
)

__all__ = ["capability"]
