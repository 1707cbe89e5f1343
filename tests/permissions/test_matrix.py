"""The permission matrix, generated from the capability table.

Every event registered by conference/capabilities.py is sent as every identity (participant,
participant of another room, facilitator of the room, facilitator of another room, moderator,
presenter view, removed person, no session) and must get the verdict of
tests/permissions/table.py; refused cases read the state back and find it unchanged. A new
event without an entry in the table fails here first.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import websockets

from conference.auth.presenter import PRESENTER_EVENTS
from conference.capabilities import CAPABILITIES
from conference.realtime.dispatch import Route
from tests.fixtures.asserted import saw_code
from tests.fixtures.live_server import LiveServer
from tests.permissions.harness import Matrix, prepare
from tests.permissions.table import EXPECTED, HANDSHAKE, OK, Who

ROUTES: dict[str, Route] = {
    name: route
    for capability in CAPABILITIES.values()
    for name, route in capability.router.routes.items()
}
HOW_TO_ADD = (
    "add one entry per event to EXPECTED in tests/permissions/table.py, e.g. "
    '"workshop:extend": Entry(Access.MANAGER, {"room": ROOM, "minutes": 5})'
)
# on the shared two-process servers: events whose cases need nobody but staff and the
# identities that may always enter the room (the workshops there may be closed)
REDIS_SAMPLE = (
    "agenda:set",
    "chat:delete",
    "poll:create",
    "poll:close",
    "poll:reveal",
    "presence:list",
    "presenter:join",
    "question:approve",
    "workshops:overview",
)


def test_every_registered_event_has_an_entry() -> None:
    missing = sorted(set(ROUTES) - set(EXPECTED))
    assert not missing, f"events without an expected verdict: {missing}; {HOW_TO_ADD}"
    stale = sorted(set(EXPECTED) - set(ROUTES))
    assert not stale, f"entries for events nobody registers any more: {stale}"


def test_every_handler_declares_the_permission_the_table_expects() -> None:
    wrong = [
        f"{name} declares Permission.{route.permission.name}, the table expects "
        f"{EXPECTED[name].access.meaning} (Permission.{EXPECTED[name].access.declared.name})"
        for name, route in sorted(ROUTES.items())
        if name in EXPECTED and route.permission is not EXPECTED[name].access.declared
    ]
    assert not wrong, "\n".join(wrong)


def test_presenter_views_may_send_exactly_the_presenter_events() -> None:
    allowed = {name for name, entry in EXPECTED.items() if entry.expect(Who.PRESENTER) == OK}
    assert allowed == set(PRESENTER_EVENTS)


def test_without_a_session_the_verdict_is_always_the_handshake() -> None:
    overridden = [n for n, e in EXPECTED.items() if e.expect(Who.NO_SESSION) != HANDSHAKE]
    assert not overridden


def _report(matrix: Matrix) -> None:
    assert not matrix.failures, f"{len(matrix.failures)} verdicts differ:\n" + "\n".join(
        matrix.failures
    )


async def test_every_event_as_every_identity(unlimited_server: LiveServer, connect: Any) -> None:
    matrix = await prepare(unlimited_server, connect, staff=2, identities=list(Who), workshops=True)
    for event in sorted(ROUTES):
        if event in EXPECTED:
            await matrix.check(event, EXPECTED[event])
    _report(matrix)


async def test_a_sample_on_two_redis_processes(redis_servers: LiveServer, connect: Any) -> None:
    """The same cases with identities spread over two processes sharing Redis (staff on the
    first): the removed person's connection sits on the other process, in no room. The
    workshop phase stays as it is (these servers are shared): the sample's events do not need
    a participant in the room."""
    identities = [who for who in Who if who is not Who.NO_SESSION]
    matrix = await prepare(redis_servers, connect, staff=10, identities=identities)
    for event in REDIS_SAMPLE:
        await matrix.check(event, EXPECTED[event])
    _report(matrix)


class RawSocket:
    """Engine.IO v4 frames by hand: what a client could send without the socket.io client."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.seen: list[str] = []

    async def next(self, prefix: str) -> str:
        """The next frame starting with `prefix` (answering the server's pings meanwhile)."""
        async with asyncio.timeout(10):
            while True:
                frame = await self.ws.recv()
                self.seen.append(frame)
                if frame == "2":
                    await self.ws.send("3")
                elif frame.startswith(prefix):
                    return str(frame)


async def test_without_a_session_no_event_is_taken(
    unlimited_server: LiveServer, connect: Any
) -> None:
    """No credentials: the namespace is refused with auth.required, and events sent anyway
    (bypassing the client library) are refused with auth.required and change nothing."""
    matrix = await prepare(unlimited_server, connect, staff=1, identities=[], workshops=True)
    payloads = {event: await matrix.payload(EXPECTED[event]) for event in sorted(ROUTES)}
    before = await matrix.arrange.readback()
    _, token = await unlimited_server.person(name="Später angemeldet")
    url = unlimited_server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    async with websockets.connect(url) as ws:
        raw = RawSocket(ws)
        await raw.next("0")
        await ws.send("40")
        refusal = json.loads((await raw.next("44"))[2:])
        assert refusal["data"]["code"] == "auth.required", refusal
        saw_code("auth.required")
        for number, (event, payload) in enumerate(payloads.items()):
            await ws.send(f"42{number}" + json.dumps([event, payload]))
        # handled in order of arrival: once this connect is answered, so were they
        await ws.send("40" + json.dumps({"token": token}))
        await raw.next("40")
        await ws.send("421000" + json.dumps(["room:sync", {"room": "_event", "after": 0}]))
        answer = json.loads((await raw.next("431000"))[6:])
        assert answer[0]["ok"] is True
    acks = [
        frame for frame in raw.seen if frame.startswith("43") and not frame.startswith("431000")
    ]
    # each is answered (every packet gets an answer: tests/realtime/test_hostile.py), refused
    assert len(acks) == len(payloads), acks
    for frame in acks:
        answer = json.loads(frame[frame.index("[") :])[0]
        assert answer["ok"] is False, frame
        assert answer["error"]["code"] == "auth.required", frame
    assert await matrix.arrange.readback() == before
