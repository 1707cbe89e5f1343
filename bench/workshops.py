"""The switch into the workshops and back: N people in the plenary are sent into R rooms at
once, as browsers do it (each opens a new connection on its room page and joins its room), and
back to the plenary when the phase closes. The plenary join storm of the same N, measured on
the same server just before, is the baseline: the target is a switch no slower than it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

from bench.client import Client, open_client
from bench.harness import Server, create_people
from bench.scenarios import CONNECT_TIMEOUT, ROOM, Crowd, Meter, call, ms_stats

SEAT_FRAME = b'42["workshops:seat"'
MODERATOR_PACE = 0.25  # seconds between a moderator's calls (5 per second are allowed)


async def _move(crowd: Crowd, rooms: dict[int, str], target: Any) -> dict[str, Any]:
    """Every client opens a new connection and joins its room (target(index) -> room id), then
    closes the old one; returns the figures of the move."""
    meter = Meter(crowd.server)
    start = time.perf_counter()
    times: list[float] = []
    failures: list[str] = []

    async def one(client: Client) -> Client | None:
        began = time.perf_counter()
        url = crowd.server.urls[client.index % len(crowd.server.urls)]
        try:
            fresh = await open_client(url, client.index, client.token, None, CONNECT_TIMEOUT)
            await call(fresh, "room:join", {"room": target(client.index)})
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}"[:200])
            return None
        times.append(time.perf_counter() - began)
        client.close()
        return fresh

    moved = await asyncio.gather(*(one(c) for c in crowd.clients))
    total = time.perf_counter() - start
    crowd.clients = [c for c in moved if c is not None]
    return {
        "moved": len(times),
        "all_moved_s": round(total, 3),
        **ms_stats(times),
        "failures": len(failures),
        "failure_examples": failures[:3],
        **meter.read(),
    }


async def switch(server: Server, n: int, room_count: int) -> dict[str, Any]:
    """One cell: N people, `room_count` rooms. Needs a fresh server (the phase is event-wide)."""
    await create_people(server, n)
    seats: dict[int, str] = {}
    everyone_seated = asyncio.Event()

    def on_event(client: Client, data: bytes, now: float) -> None:
        if data.startswith(SEAT_FRAME):
            notice = json.loads(data[2:])[1]
            if notice.get("seat"):
                seats[client.index] = notice["seat"]["room"]
                if len(seats) >= len(crowd.clients):
                    everyone_seated.set()

    crowd = Crowd(server)
    crowd.sink = on_event
    storm = await crowd.storm(n)

    tokens = await create_people(server, n + 1, role="moderator")
    moderator = await open_client(server.urls[0], -1, tokens[-1], None, CONNECT_TIMEOUT)
    try:
        await call(moderator, "room:join", {"room": ROOM})
        overview = await call(moderator, "workshops:overview", {})
        capacity = n // room_count + 1
        for room in overview["rooms"]:
            await call(
                moderator,
                "workshops:room",
                {"id": room["id"], "title": room["title"], "capacity": capacity},
            )
        for number in range(len(overview["rooms"]), room_count):
            await call(
                moderator, "workshops:room", {"title": f"Raum {number + 1}", "capacity": capacity}
            )
            await asyncio.sleep(MODERATOR_PACE)  # within a moderator's rate limit
        placed = await call(moderator, "workshops:assign", {})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(everyone_seated.wait(), CONNECT_TIMEOUT)
        await call(moderator, "workshops:open", {"minutes": 60})
        into = await _move(crowd, seats, lambda index: seats.get(index, "?"))
        await call(moderator, "workshops:close", {})
        back = await _move(crowd, seats, lambda index: ROOM)
    finally:
        moderator.close()
        await crowd.close()
    result = {
        "n": n,
        "rooms": room_count,
        "seated": placed["seated"],
        "seat_notices": len(seats),
        "plenary_join_storm": storm,
        "into_rooms": into,
        "back_to_plenary": back,
    }
    base = storm["all_joined_s"]
    result["ratio_into"] = round(into["all_moved_s"] / base, 2) if base else None
    result["ratio_back"] = round(back["all_moved_s"] / base, 2) if base else None
    return result
