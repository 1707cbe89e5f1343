"""The stage in SQL (one row of `event_state`), what the presenter view makes of it, and its
broadcast.

A stage is `{"kind", "id", "results", "version", "set_at"}`: `kind` is one of KINDS, `id` the
poll or question it shows, `results` whether a poll's results are shown (when they are public),
`version` counts every change (clients drop a `stage:changed` older than what they have: two
processes may deliver two quick changes out of order).
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.clock import iso, utcnow
from conference.events import state_store
from conference.gallery import service as gallery
from conference.polls import service as polls
from conference.polls import store as poll_store
from conference.qa import store as qa_store
from conference.realtime import audiences
from conference.rooms.registry import PLENARY
from conference.services import Services

Kind = Literal["nothing", "poll", "question", "wordcloud", "gallery"]
KINDS: tuple[str, ...] = ("nothing", "poll", "question", "wordcloud", "gallery")
WITH_ID: tuple[str, ...] = ("poll", "question", "wordcloud")
POLL_KINDS: tuple[str, ...] = ("poll", "wordcloud")
KEY = "stage"
CHANGED = "stage:changed"  # to moderators and presenter views: `{"stage"}`


def nothing(version: int = 0) -> dict[str, Any]:
    return {"kind": "nothing", "id": None, "results": False, "version": version, "set_at": None}


async def read(conn: AsyncConnection, event_id: str, *, lock: bool = False) -> dict[str, Any]:
    """The stage as stored (the holding slide when nothing was ever set)."""
    value = await state_store.get(conn, event_id, KEY, lock=lock)
    if not isinstance(value, dict) or value.get("kind") not in KINDS:
        return nothing()
    return {**nothing(), **value}


async def put(
    conn: AsyncConnection,
    event_id: str,
    kind: str,
    target: str | None = None,
    *,
    results: bool = False,
) -> dict[str, Any]:
    """Store a new stage (call inside the write block; broadcast it with `announce` after)."""
    current = await read(conn, event_id, lock=True)
    stage = {
        "kind": kind,
        "id": target if kind in WITH_ID else None,
        "results": bool(results) if kind in POLL_KINDS else False,
        "version": int(current["version"]) + 1,
        "set_at": iso(utcnow()),
    }
    await state_store.put(conn, event_id, KEY, stage)
    return stage


async def clear_if(
    conn: AsyncConnection, event_id: str, kinds: tuple[str, ...], target: str
) -> dict[str, Any] | None:
    """The holding slide, when the stage shows `target` (a deleted poll, an answered or
    unpinned question); None when it shows something else."""
    current = await read(conn, event_id, lock=True)
    if current["kind"] not in kinds or current["id"] != target:
        return None
    return await put(conn, event_id, "nothing")


def announce(services: Services, stage: dict[str, Any] | None) -> None:
    """`stage:changed` to the moderators' consoles and the presenter views."""
    if stage is None:
        return
    event_id = services.event.id
    for audience in (audiences.moderators(event_id), audiences.presenters(event_id)):
        services.publisher.send_volatile(CHANGED, {"stage": stage}, audience)


async def of_room(conn: AsyncConnection, event_id: str, room: str) -> dict[str, Any]:
    """The stage of a workshop room's presenter view (`/presenter/{key}?room=…`), which has no
    console of its own: the room's pinned question, else the poll opened last with its
    results (when public). The plenary's is `read`."""
    pinned = await qa_store.pinned(conn, event_id, room)
    if pinned is not None:
        return {**nothing(), "kind": "question", "id": pinned["id"]}
    row = await poll_store.latest_shown(conn, event_id, room)
    if row is not None:
        kind = "wordcloud" if row.kind == "wordcloud" else "poll"
        return {**nothing(), "kind": kind, "id": row.id, "results": True}
    return nothing()


async def view(
    services: Services, conn: AsyncConnection, stage: dict[str, Any], room: str = PLENARY
) -> dict[str, Any]:
    """What the presenter view shows: the stage with its poll (and its results when asked
    for and public), its question (while pinned and shown), or the gallery's cards. A
    target that went away shows the holding slide (the event's title)."""
    event_id = services.event.id
    data: dict[str, Any] = {
        "stage": stage,
        "title": services.event.title,
        "poll": None,
        "results": None,
        "question": None,
        "cards": None,
    }
    kind = stage["kind"]
    if kind in POLL_KINDS and stage["id"]:
        row = await poll_store.get(conn, event_id, stage["id"])
        if row is not None and row.status != "draft" and row.room == room:
            poll = poll_store.as_poll(row)
            data["poll"] = poll
            if stage["results"] and polls.public(poll):
                data["results"] = await polls.results(services, conn, poll)
    elif kind == "question" and stage["id"]:
        pinned = await qa_store.pinned(conn, event_id, room)
        if pinned is not None and pinned["id"] == stage["id"]:
            data["question"] = pinned
    elif kind == "gallery":
        data["cards"] = await gallery.cards(services, conn)
    return data
