"""People and polls for the poll tests."""

from __future__ import annotations

from typing import Any

from conference.auth.presenter import presenter_key
from conference.auth.roles import Role
from conference.settings import Settings
from tests.fixtures.live_server import Client, LiveServer


async def moderator(live: LiveServer, connect: Any, url: str | None = None) -> Client:
    _, token = await live.person(Role.MODERATOR, name="Moderation")
    client: Client = await connect(url or live.url, token)
    await client.ok("room:join", {"room": "plenary"})
    return client


async def participant(live: LiveServer, connect: Any, url: str | None = None, **kw: Any) -> Client:
    _, token = await live.person(**kw)
    client: Client = await connect(url or live.urls[-1], token)
    await client.ok("room:join", {"room": "plenary"})
    return client


async def presenter_view(live: LiveServer, connect: Any, url: str | None = None) -> Client:
    """A presenter view's socket, joined to the plenary (on the last process by default)."""
    key = presenter_key(Settings(secret_key=live.env["CONFERENCE_SECRET_KEY"]))
    client: Client = await connect(url or live.urls[-1], auth={"presenter": key})
    await client.ok("presenter:join", {"room": "plenary"})
    return client


async def open_poll(mod: Client, **definition: Any) -> dict[str, Any]:
    """Create a poll in the plenary and open it."""
    created = await mod.ok("poll:create", {"room": "plenary", **definition})
    opened = await mod.ok("poll:open", {"room": "plenary", "id": created["poll"]["id"]})
    poll: dict[str, Any] = opened["poll"]
    assert poll["status"] == "open"
    return poll


def ref(poll: dict[str, Any]) -> dict[str, str]:
    return {"room": poll["room"], "id": poll["id"]}
