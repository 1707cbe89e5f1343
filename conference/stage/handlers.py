"""stage:set (moderators) and presenter:join (presenter views and moderators): what the
stream shows, durable in SQL, followed by the presenter views through `stage:changed`."""

from __future__ import annotations

from typing import Any, Self

from pydantic import Field, model_validator
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.presenter import PRESENTER_ROLE
from conference.auth.roles import Permission, is_moderator
from conference.polls import store as poll_store
from conference.qa import pinning
from conference.qa import store as qa_store
from conference.realtime import audiences, room_log
from conference.realtime.capability import Capability
from conference.realtime.dispatch import Context, Payload, Router
from conference.realtime.errors import Refused
from conference.rooms.registry import PLENARY
from conference.services import Services
from conference.stage import service
from conference.stage.service import Kind

router = Router()


class StageSet(Payload):
    kind: Kind
    id: str | None = Field(default=None, min_length=1, max_length=32)
    results: bool = False

    @model_validator(mode="after")
    def _target(self) -> Self:
        if self.kind in service.WITH_ID and self.id is None:
            raise ValueError(f"a {self.kind} on the stage needs its id")
        if self.kind not in service.WITH_ID and self.id is not None:
            raise ValueError(f"{self.kind} takes no id")
        return self


class PresenterJoin(Payload):
    room: str = Field(default=PLENARY, min_length=1, max_length=64)


async def _poll(ctx: Context, conn: AsyncConnection, payload: StageSet) -> None:
    """A plenary poll that was opened (never a draft, never deleted)."""
    row = await poll_store.get(conn, ctx.event_id, payload.id or "")
    if row is None or row.room != PLENARY or row.status == "draft":
        raise Refused("stage.not_found")
    if payload.kind == "wordcloud" and row.kind != "wordcloud":
        raise Refused("stage.not_wordcloud")


async def _question(
    ctx: Context, conn: AsyncConnection, payload: StageSet
) -> tuple[dict[str, Any], str, room_log.Entry | None]:
    """An approved plenary question; it is pinned (the one being answered now) if it was not."""
    await pinning.take_turn(conn, ctx.event_id, PLENARY)
    row = await qa_store.get(conn, ctx.event_id, payload.id or "")
    if row is None or row.room != PLENARY or row.status != "approved":
        raise Refused("stage.not_found")
    question = qa_store.as_question(row)
    if question["pinned"]:
        return question, row.person_id, None
    question, entry = await pinning.pin(conn, ctx.event_id, PLENARY, question["id"], True)
    return question, row.person_id, entry


@router.on("stage:set", StageSet, Permission.MODERATOR)
async def set_stage(ctx: Context, payload: StageSet) -> dict[str, Any]:
    """Put a poll (its question only, or with its results), the pinned question, a word cloud,
    the results gallery or the holding slide (`nothing`) on the stream."""
    services = ctx.services
    pinned = None
    async with services.db.write() as conn:
        if payload.kind in service.POLL_KINDS:
            await _poll(ctx, conn, payload)
        elif payload.kind == "question":
            pinned = await _question(ctx, conn, payload)
        results = payload.results or payload.kind == "wordcloud"
        stage = await service.put(conn, ctx.event_id, payload.kind, payload.id, results=results)
    if pinned is not None:
        pinning.publish(services, *pinned)
    service.announce(services, stage)
    return {"stage": stage}


@router.on("presenter:join", PresenterJoin)
async def presenter_join(ctx: Context, payload: PresenterJoin) -> dict[str, Any]:
    """The presenter view: what the stage shows, with its poll, results, question or cards
    (in a workshop room: its pinned question, else its poll opened last)."""
    person = ctx.person
    if person.role != PRESENTER_ROLE and not is_moderator(person.role):
        raise Refused("auth.forbidden")
    if await ctx.services.rooms.get(payload.room) is None:
        raise Refused("room.unknown")
    await ctx.services.sio.enter_room(ctx.connection.sid, audiences.presenters(ctx.event_id))
    async with ctx.services.db.read() as conn:
        if payload.room == PLENARY:
            stage = await service.read(conn, ctx.event_id)
        else:  # a workshop room's view follows its room
            stage = await service.of_room(conn, ctx.event_id, payload.room)
        view = await service.view(ctx.services, conn, stage, payload.room)
        return {"room": payload.room, **view}


async def _shared(
    services: Services, conn: AsyncConnection, room: str, manager: bool
) -> dict[str, Any]:
    """The stage, for those who manage the room (the moderators' console; participants do not
    need it)."""
    if not manager:
        return {}
    return {"stage": await service.read(conn, services.event.id)}


capability = Capability("stage", router, shared=_shared)

__all__ = ["capability"]
