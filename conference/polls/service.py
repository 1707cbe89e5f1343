"""Results, who may see them, coalesced broadcasting, closing (by hand or by countdown), and the
prepared polls of the event file."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import Person
from conference.clock import utcnow
from conference.events.model import PreparedPoll
from conference.polls import store
from conference.polls.normalise import group
from conference.polls.rules import default_settings
from conference.realtime import audiences, room_log
from conference.realtime.coalesce import Coalescer
from conference.services import Services

log = logging.getLogger(__name__)

AUTOCLOSE_TICK = 0.5
MAX_WORDS = 100


def public(poll: dict[str, Any]) -> bool:
    """Whether the room (and the stream) may see the results."""
    visible = poll["settings"]["results"] == "live" or bool(poll["revealed"])
    return poll["status"] != "draft" and visible


def may_see(poll: dict[str, Any], person: Person, voted: bool) -> bool:
    if person.manages(poll["room"]) or public(poll):
        return True
    return bool(poll["settings"]["results"] == "after_vote") and voted


async def present_count(services: Services, room: str) -> int:
    """How many are in the room (everyone, moderators too): the count kept once a second for
    the presence badge, read afresh only when unknown. Not the turnout's base: `electorate`."""
    count = services.presence_counts.get(room)
    if count is None:
        count = len(await services.state.presence_people(room))
    return count


async def electorate(services: Services, conn: AsyncConnection, room: str) -> set[str]:
    """Who could vote in the room now: the people present in it (read afresh, not the count
    kept for the presence badge) who do not manage it (moderators run the polls)."""
    present = await services.state.presence_people(room)
    if not present:
        return set()
    return present - await store.managers(conn, services.event.id, room)


def turnout(voters: int, voter_ids: set[str] | None, electorate: set[str]) -> tuple[int, float]:
    """(who could vote, turnout in percent): those present who could vote and everyone who
    voted while the poll was open, so the turnout never exceeds 100 %."""
    # voter_ids None: the votes are gone (kept results), at least the voters could vote
    known = electorate if voter_ids is None else electorate | voter_ids
    eligible = max(len(known), voters)
    return eligible, _percent(voters, eligible)


def _percent(count: int, total: int) -> float:
    return round(count * 100 / total, 1) if total else 0.0


async def results(
    services: Services,
    conn: AsyncConnection,
    poll: dict[str, Any],
    *,
    moderator: bool = False,
    present: set[str] | None = None,
    tally: tuple[int, dict[str, int]] | None = None,
    voter_ids: set[str] | None = None,
    with_turnout: bool = True,
) -> dict[str, Any]:
    """Counts, percentages and turnout (voters / who could vote, see `turnout`), per kind.
    `present`: the room's electorate when already read (a snapshot of several polls)."""
    voters, counts = tally if tally is not None else await store.tally(conn, poll["id"])
    eligible, percent = 0, None
    if with_turnout:
        if present is None:
            present = await electorate(services, conn, poll["room"])
        if voter_ids is None:
            voter_ids = (await store.voter_ids(conn, [poll["id"]]))[poll["id"]]
        if voters and not voter_ids:
            voter_ids = None  # kept results: the votes themselves were deleted
        eligible, percent = turnout(voters, voter_ids, present)
    data: dict[str, Any] = {
        "poll_id": poll["id"],
        "room": poll["room"],
        "kind": poll["kind"],
        "status": poll["status"],
        "voters": voters,
        "present": eligible,  # who could vote: present participants and the voters
        "turnout": percent if eligible else None,
        "moderation": moderator,  # the full view (held answers); consoles ignore the public one
    }
    kind, settings = poll["kind"], poll["settings"]
    if kind in ("single", "multiple"):
        data["options"] = [
            {
                "id": o["id"],
                "label": o["label"],
                "count": counts.get(o["id"], 0),
                "percent": _percent(counts.get(o["id"], 0), voters),
            }
            for o in poll["options"]
        ]
    elif kind == "rating":
        labels = settings.get("scale_labels") or {}
        scale = range(settings["scale_min"], settings["scale_max"] + 1)
        total = sum(v * counts.get(str(v), 0) for v in scale)
        data["scale"] = [
            {
                "value": v,
                "label": labels.get(str(v), ""),
                "count": counts.get(str(v), 0),
                "percent": _percent(counts.get(str(v), 0), voters),
            }
            for v in scale
        ]
        data["average"] = round(total / voters, 2) if voters else None
    elif kind == "wordcloud":
        # counted by key, shown as written most often (polls/normalise.py)
        language = services.event.language if services is not None else "de"
        ranked = group(counts, language)
        data["words"] = ranked[:MAX_WORDS]
        data["distinct_words"] = len(ranked)
    else:
        answers = await store.open_answers(conn, poll["id"])
        if moderator:
            data["answers"] = answers
        else:
            data["answers"] = [{"ref": a["ref"], "text": a["text"]} for a in answers if a["shown"]]
    return data


class ResultsBroadcasts(Coalescer):
    """This process's coalesced `poll:results`: at most one per poll and window."""

    def __init__(self, services: Services) -> None:
        async def send(poll_id: str) -> None:
            await broadcast_results(services, poll_id)

        super().__init__(services.state, services.process_id, "poll-results", send)


async def broadcast_results(services: Services, poll_id: str, *, final: bool = False) -> None:
    """poll:results to moderators always, to the room and the presenter views when public."""
    event_id = services.event.id
    async with services.db.read() as conn:
        row = await store.get(conn, event_id, poll_id)
        if row is None:
            return
        poll = store.as_poll(row)
        data = await results(services, conn, poll, moderator=True)
        if poll["kind"] == "open":  # held answers are for those who manage the room
            public_data = await results(services, conn, poll)
        else:
            public_data = {**data, "moderation": False}
    services.publisher.send_volatile(
        "poll:results", {**data, "final": final}, audiences.managers(event_id, poll["room"])
    )
    if public(poll):
        payload = {**public_data, "final": final}
        services.publisher.send_volatile(
            "poll:results", payload, audiences.room(event_id, poll["room"])
        )
        services.publisher.send_volatile("poll:results", payload, audiences.presenters(event_id))


async def announce(
    services: Services, conn: AsyncConnection, poll: dict[str, Any]
) -> room_log.Entry | None:
    """Log a change that participants see (not of drafts); call inside the write block."""
    if poll["status"] == "draft":
        return None
    return await room_log.append(
        conn, services.event.id, poll["room"], "poll:updated", {"poll": poll}
    )


def publish(services: Services, poll: dict[str, Any], entry: room_log.Entry | None) -> None:
    """Send a logged change to the room and presenters, and every change to moderators."""
    event_id = services.event.id
    if entry is not None:
        services.publisher.send(entry, audiences.room(event_id, poll["room"]))
        services.publisher.send(entry, audiences.presenters(event_id))
    services.publisher.send_volatile(
        "poll:changed",
        {"room": poll["room"], "poll": poll},
        audiences.managers(event_id, poll["room"]),
    )


async def close(services: Services, poll_id: str) -> dict[str, Any] | None:
    """Close an open poll (idempotent); the final results follow right after the commit."""
    event_id = services.event.id
    async with services.db.write() as conn:
        now = utcnow()
        changed = await store.set_status(
            conn, poll_id, from_=("open",), status="closed", closed_at=now
        )
        row = await store.get(conn, event_id, poll_id)
        if row is None:
            return None
        poll = store.as_poll(row)
        entry = await announce(services, conn, poll) if changed else None
    if changed:
        publish(services, poll, entry)
        await broadcast_results(services, poll_id, final=True)
    return poll


async def seed(services: Services) -> None:
    """Insert the prepared polls of the event file as drafts, once (by key); drafts follow
    changes of the file, polls that were opened keep what people answered."""
    event = services.event
    for prepared in event.polls:
        try:
            async with services.db.write() as conn:
                existing = await store.by_key(conn, event.id, prepared.id)
                if existing is None:
                    await store.insert(
                        conn, event_id=event.id, key=prepared.id, **definition(prepared)
                    )
                elif existing.status == "draft":
                    await store.update(conn, existing.id, **definition(prepared))
        except IntegrityError:
            continue  # another process inserted it first
        except Exception:
            # a database that is not reachable yet must not stop the server; the background
            # task tries again
            log.exception("seeding the prepared poll %s failed", prepared.id)
            return


def definition(prepared: PreparedPoll) -> dict[str, Any]:
    settings = default_settings() | {
        "max_choices": prepared.max_choices,
        "max_answers": prepared.max_answers,
        "scale_min": prepared.scale_min,
        "scale_max": prepared.scale_max,
        "scale_labels": dict(prepared.scale_labels),
        "results": prepared.results,
        "anonymous": prepared.anonymous,
        "allow_change": prepared.allow_change,
        "duration_seconds": prepared.duration_seconds,
    }
    return {
        "room": prepared.room,
        "kind": prepared.kind,
        "question": prepared.question,
        "options": [{"id": o.id, "label": o.label} for o in prepared.options],
        "settings": settings,
    }


async def background(services: Services) -> None:
    """Close polls whose countdown ran out (one process a tick); seed again first, in case the
    database was not reachable at start-up."""
    await seed(services)
    while True:
        await asyncio.sleep(AUTOCLOSE_TICK)
        with contextlib.suppress(Exception):
            if not await services.state.claim(
                "polls-autoclose", services.process_id, AUTOCLOSE_TICK * 0.9
            ):
                continue
            async with services.db.read() as conn:
                due = await store.due(conn, services.event.id, utcnow())
            for poll_id in due:
                await close(services, poll_id)


def closes_at(poll: dict[str, Any], now: dt.datetime) -> dt.datetime | None:
    duration = poll["settings"].get("duration_seconds")
    return now + dt.timedelta(seconds=duration) if duration else None
