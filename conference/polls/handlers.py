"""poll:create/open/close/reopen/delete/reveal, poll:vote, poll:results and poll:answers:show."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Annotated, Any

from pydantic import Field, StringConstraints
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.roles import Permission
from conference.clock import utcnow
from conference.polls import service, store
from conference.polls.ballots import BallotBox
from conference.polls.routes import poll_routes
from conference.polls.rules import (
    MAX_OPEN_TEXT,
    MAX_OPTIONS,
    Kind,
    Visibility,
    Vote,
    check_definition,
    check_vote,
    default_settings,
)
from conference.realtime import audiences, room_log
from conference.realtime.capability import Capability, running
from conference.realtime.dispatch import Context, Payload, Router
from conference.realtime.errors import Refused
from conference.rooms.registry import PLENARY
from conference.services import Services
from conference.stage import service as stage

router = Router()

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ScaleKey = Annotated[str, StringConstraints(max_length=4)]
ScaleLabel = Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)]
Word = Annotated[str, StringConstraints(max_length=100)]
Ref = Annotated[str, StringConstraints(max_length=32)]
OptionId = Annotated[str, StringConstraints(max_length=64)]


class PollCreate(Payload):
    room: str = Field(min_length=1, max_length=64)
    kind: Kind
    question: str = Field(min_length=1, max_length=500)
    options: list[Label] = Field(default=[], max_length=MAX_OPTIONS)
    max_choices: int | None = Field(default=None, ge=1, le=MAX_OPTIONS)
    max_answers: int = Field(default=3, ge=1, le=10)
    scale_min: int = Field(default=1, ge=-10, le=10)
    scale_max: int = Field(default=5, ge=-10, le=20)
    scale_labels: dict[ScaleKey, ScaleLabel] = Field(default={}, max_length=11)
    results: Visibility = "live"
    anonymous: bool = True
    allow_change: bool = False
    duration_seconds: int | None = Field(default=None, ge=5, le=3600)


class PollRef(Payload):
    room: str = Field(min_length=1, max_length=64)
    id: str = Field(min_length=1, max_length=32)


class PollReveal(PollRef):
    revealed: bool = True


class PollVote(PollRef):
    options: list[OptionId] = Field(default=[], max_length=MAX_OPTIONS)
    words: list[Word] = Field(default=[], max_length=10)
    rating: int | None = Field(default=None, ge=-1000, le=1000)
    text: str | None = Field(default=None, max_length=MAX_OPEN_TEXT * 2)


class AnswersShow(PollRef):
    refs: list[Ref] = Field(default=[], max_length=1000)
    all: bool = False


async def _load(
    ctx: Context, conn: AsyncConnection, payload: PollRef, *, share: bool = False
) -> dict[str, Any]:
    """The poll, when it belongs to this event and the payload's room."""
    row = await store.get(conn, ctx.event_id, payload.id, share=share)
    if row is None or row.room != payload.room:
        raise Refused("poll.not_found")
    return store.as_poll(row)


@router.on("poll:create", PollCreate, Permission.FACILITATOR)
async def create(ctx: Context, payload: PollCreate) -> dict[str, Any]:
    """A live poll, created as a draft."""
    if await ctx.services.rooms.get(payload.room) is None:
        raise Refused("room.unknown")
    options = [{"id": f"o{i}", "label": label} for i, label in enumerate(payload.options, 1)]
    settings = default_settings() | payload.model_dump(
        include={
            "max_choices",
            "max_answers",
            "scale_min",
            "scale_max",
            "scale_labels",
            "results",
            "anonymous",
            "allow_change",
            "duration_seconds",
        }
    )
    check_definition(payload.kind, options, settings)
    async with ctx.services.db.write() as conn:
        poll_id = await store.insert(
            conn,
            event_id=ctx.event_id,
            room=payload.room,
            kind=payload.kind,
            question=payload.question,
            options=options,
            settings=settings,
        )
        row = await store.get(conn, ctx.event_id, poll_id)
    poll = store.as_poll(row)
    service.publish(ctx.services, poll, None)
    return {"poll": poll}


async def _open(ctx: Context, payload: PollRef, from_: tuple[str, ...]) -> dict[str, Any]:
    services = ctx.services
    async with services.db.write() as conn:
        poll = await _load(ctx, conn, payload)
        if poll["status"] == "open":
            return {"poll": poll}
        if poll["status"] not in from_:
            raise Refused("poll.not_closed")
        now = utcnow()
        await store.set_status(
            conn,
            poll["id"],
            from_=from_,
            status="open",
            opened_at=now,
            closes_at=service.closes_at(poll, now),
            closed_at=None,
        )
        poll = await _load(ctx, conn, payload)
        entry = await service.announce(services, conn, poll)
        staged = await _on_stage(ctx, conn, poll)
    service.publish(services, poll, entry)
    stage.announce(services, staged)
    await service.broadcast_results(services, poll["id"])
    return {"poll": poll}


async def _on_stage(
    ctx: Context, conn: AsyncConnection, poll: dict[str, Any]
) -> dict[str, Any] | None:
    """A plenary poll that opens goes on the stream (with its results, shown once they are
    public), unless the stream shows it already (then the moderator's choice stays)."""
    if poll["room"] != PLENARY:
        return None
    current = await stage.read(conn, ctx.event_id)
    if current["kind"] in stage.POLL_KINDS and current["id"] == poll["id"]:
        return None
    kind = "wordcloud" if poll["kind"] == "wordcloud" else "poll"
    return await stage.put(conn, ctx.event_id, kind, poll["id"], results=True)


@router.on("poll:open", PollRef, Permission.FACILITATOR)
async def open_poll(ctx: Context, payload: PollRef) -> dict[str, Any]:
    """Draft (or closed) → open; a countdown starts when the poll has a duration."""
    return await _open(ctx, payload, ("draft", "closed"))


@router.on("poll:reopen", PollRef, Permission.FACILITATOR)
async def reopen(ctx: Context, payload: PollRef) -> dict[str, Any]:
    return await _open(ctx, payload, ("closed",))


@router.on("poll:close", PollRef, Permission.FACILITATOR)
async def close(ctx: Context, payload: PollRef) -> dict[str, Any]:
    """Open → closed; the final results are broadcast right after."""
    async with ctx.services.db.read() as conn:
        await _load(ctx, conn, payload)
    poll = await service.close(ctx.services, payload.id)
    if poll is None:
        raise Refused("poll.not_found")
    return {"poll": poll}


@router.on("poll:delete", PollRef, Permission.FACILITATOR)
async def delete(ctx: Context, payload: PollRef) -> dict[str, Any]:
    services = ctx.services
    async with services.db.write() as conn:
        poll = await _load(ctx, conn, payload)
        await store.update(conn, poll["id"], deleted_at=utcnow())
        entry = None
        if poll["status"] != "draft":
            entry = await room_log.append(
                conn, ctx.event_id, poll["room"], "poll:deleted", {"id": poll["id"]}
            )
        staged = await stage.clear_if(conn, ctx.event_id, stage.POLL_KINDS, poll["id"])
    stage.announce(services, staged)
    if entry is not None:
        services.publisher.send(entry, audiences.room(ctx.event_id, poll["room"]))
        services.publisher.send(entry, audiences.presenters(ctx.event_id))
    services.publisher.send_volatile(
        "poll:deleted",
        {"room": poll["room"], "id": poll["id"]},
        audiences.managers(ctx.event_id, poll["room"]),
    )
    return {"id": poll["id"]}


@router.on("poll:reveal", PollReveal, Permission.FACILITATOR)
async def reveal(ctx: Context, payload: PollReveal) -> dict[str, Any]:
    """Show (or hide again) the results of a poll whose results wait for the moderator."""
    services = ctx.services
    async with services.db.write() as conn:
        await _load(ctx, conn, payload)
        await store.update(conn, payload.id, revealed=payload.revealed)
        poll = await _load(ctx, conn, payload)
        entry = await service.announce(services, conn, poll)
    service.publish(services, poll, entry)
    await service.broadcast_results(services, poll["id"], final=poll["status"] == "closed")
    return {"poll": poll}


@router.on("poll:vote", PollVote)
async def vote(ctx: Context, payload: PollVote) -> dict[str, Any]:
    """One vote per person (the primary key says so); changed only where the poll allows.
    Votes are committed in batches (polls/ballots.py); the ack follows the commit."""
    ctx.require_joined(payload.room)
    services = ctx.services
    language = services.event.language
    poll, checked, results = await services.parts[BallotBox].cast(
        ctx.person, payload.id, lambda poll: _check(poll, payload, language)
    )
    services.parts[service.ResultsBroadcasts].touch(poll["id"])
    return {"poll_id": poll["id"], "my_vote": checked.answer, "results": results}


def _check(poll: dict[str, Any] | None, payload: PollVote, language: str) -> Vote:
    """The vote as stored, or the refusal: unknown poll, not open, or not fitting its kind."""
    if poll is None or poll["room"] != payload.room or poll["status"] == "draft":
        raise Refused("poll.not_found")
    if poll["status"] != "open":
        raise Refused("poll.closed")
    return check_vote(
        poll["kind"],
        poll["options"],
        poll["settings"],
        chosen=list(payload.options),
        words=list(payload.words),
        rating=payload.rating,
        text=payload.text,
        language=language,
    )


@router.on("poll:results", PollRef)
async def get_results(ctx: Context, payload: PollRef) -> dict[str, Any]:
    """The results, for whoever may see them now."""
    manager = ctx.person.manages(payload.room)
    if not manager:
        ctx.require_joined(payload.room)
    async with ctx.services.db.read() as conn:
        poll = await _load(ctx, conn, payload)
        if poll["status"] == "draft" and not manager:
            raise Refused("poll.not_found")
        voted = await store.my_vote(conn, poll["id"], ctx.person.id) is not None
        if not service.may_see(poll, ctx.person, voted):
            raise Refused("poll.results_hidden")
        return await service.results(ctx.services, conn, poll, moderator=manager)


@router.on("poll:answers:show", AnswersShow, Permission.FACILITATOR)
async def show_answers(ctx: Context, payload: AnswersShow) -> dict[str, Any]:
    """Let the room see held open-text answers (some by ref, or all)."""
    async with ctx.services.db.write() as conn:
        poll = await _load(ctx, conn, payload)
        if poll["kind"] != "open":
            raise Refused("poll.bad_definition")
        shown = await store.show_answers(
            conn, poll["id"], None if payload.all else set(payload.refs)
        )
    await service.broadcast_results(ctx.services, poll["id"], final=poll["status"] == "closed")
    return {"poll_id": poll["id"], "shown": shown}


async def _shared(
    services: Services, conn: AsyncConnection, room: str, manager: bool
) -> dict[str, Any]:
    """The room's polls (drafts only for who manages the room), each with its results as of
    now; who may see them is decided per person."""
    rows = await store.in_room(conn, services.event.id, room, drafts=manager)
    polls = [store.as_poll(row) for row in rows]
    present = await service.electorate(services, conn, room)
    tallies = await store.tallies(conn, [p["id"] for p in polls])
    voters = await store.voter_ids(conn, [p["id"] for p in polls])
    return {
        "polls": [
            (
                poll,
                await service.results(
                    services,
                    conn,
                    poll,
                    moderator=manager,
                    present=present,
                    tally=tallies[poll["id"]],
                    voter_ids=voters[poll["id"]],
                ),
            )
            for poll in polls
        ],
        "manage": manager,
    }


async def _personal(ctx: Context, room: str, shared: dict[str, Any]) -> dict[str, Any]:
    """My vote in each poll, and the results I may see."""
    polls = shared["polls"]
    mine: dict[str, Any] = {}
    if polls:
        ids = tuple(poll["id"] for poll, _ in polls)
        mine = await ctx.services.parts[store.MyVotes].get((ctx.person.id, ids)) or {}
    items = []
    for poll, results in polls:
        voted = poll["id"] in mine
        shown = service.may_see(poll, ctx.person, voted)
        items.append(
            {**poll, "my_vote": mine.get(poll["id"]), "results": results if shown else None}
        )
    return {"polls": items, "manage": shared["manage"]}


@contextlib.asynccontextmanager
async def _lifetime(services: Services) -> AsyncIterator[None]:
    """The ballot box and the results broadcasts of this process; polls close on time."""
    box = services.parts.add(BallotBox(services))
    broadcasts = services.parts.add(service.ResultsBroadcasts(services))
    services.parts.add(store.MyVotes(services.db))
    try:
        async with running(services, service.background):
            yield
    finally:
        await box.close()
        await broadcasts.close()
        services.parts.remove(store.MyVotes)
        services.parts.remove(BallotBox)
        services.parts.remove(service.ResultsBroadcasts)


capability = Capability(
    "polls", router, shared=_shared, personal=_personal, lifetime=_lifetime, routes=poll_routes
)

__all__ = ["capability"]
