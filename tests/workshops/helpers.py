"""People and rooms for the afternoon's tests."""

from __future__ import annotations

import itertools
from typing import Any

from conference.auth.roles import Role
from tests.fixtures.live_server import Client, LiveServer

_numbers = itertools.count(1)


async def moderator(live: LiveServer, connect: Any, url: str | None = None) -> Client:
    _, token = await live.person(Role.MODERATOR, name="Moderation")
    client: Client = await connect(url or live.url, token)
    await client.ok("room:join", {"room": "plenary"})
    return client


async def new_room(mod: Client, capacity: int, title: str | None = None) -> str:
    """A workshop room added live, with a title of its own."""
    title = title or f"Testraum {next(_numbers)}"
    saved = await mod.ok("workshops:room", {"title": title, "capacity": capacity})
    room_id: str = saved["room"]["id"]
    return room_id


async def participant(
    live: LiveServer, connect: Any, url: str | None = None, *, join: bool = True, **kw: Any
) -> tuple[str, Client]:
    """A participant connected (to `url`, default the last process) and in the plenary."""
    person_id, token = await live.person(**kw)
    client: Client = await connect(url or live.urls[-1], token)
    if join:
        await client.ok("room:join", {"room": "plenary"})
    return person_id, client


async def facilitator(live: LiveServer, connect: Any, room: str, name: str) -> Client:
    _, token = await live.person(Role.FACILITATOR, name=name, room=room)
    client: Client = await connect(live.url, token)
    await client.ok("room:join", {"room": room})
    return client


async def closed_phase(mod: Client) -> None:
    """Start from a closed phase in "assigned" mode, whatever the test before left."""
    await mod.ok("workshops:close", {})
    await mod.ok("workshops:mode", {"mode": "assigned"})
