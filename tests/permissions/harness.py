"""Runs the permission matrix: every identity of `Who` sends an event, the verdicts are compared
with tests/permissions/table.py, and around the refused cases the state is read back.

Cases share connections: one per identity, and a few staff connections (moderators, never under
test) that arrange targets and read the state back, so a whole matrix is a few hundred calls on
a dozen connections rather than a server round trip per case.
"""

from __future__ import annotations

import asyncio
import difflib
import itertools
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
import socketio

from conference.auth.presenter import presenter_key
from conference.auth.roles import Role
from conference.settings import Settings
from tests.fixtures.asserted import saw_code
from tests.fixtures.live_server import Client, HandshakeRefused, LiveServer
from tests.permissions.table import (
    CLOSED,
    OK,
    OTHER_ROOM,
    ROOM,
    Entry,
    Payload,
    Who,
)

Connect = Callable[..., Any]
VOLATILE = frozenset({"presence", "me", "present", "turnout", "now"})


class Staff:
    """Moderator connections that arrange cases and read back; taken in turn so that none of
    them runs into the rate limit."""

    def __init__(self, clients: list[Client]) -> None:
        self.first = clients[0]
        self._turns = itertools.cycle(clients)

    async def ok(self, event: str, data: Any = None) -> Any:
        return await next(self._turns).ok(event, data)


@dataclass
class Arrange:
    """What sample payloads build their targets with (see table.py)."""

    server: LiveServer
    url: str
    staff: Staff
    connect: Connect
    workshops: bool  # the phase is open, participants have their seats in ROOM
    members: list[Client] = field(default_factory=list)  # identities that belong in ROOM

    def unique(self) -> str:
        return f"matrix-{uuid.uuid4().hex[:16]}"

    def ref(self, item: dict[str, Any]) -> Payload:
        return {"room": item["room"], "id": item["id"]}

    async def message(self) -> dict[str, Any]:
        message: dict[str, Any] = await self.staff.ok(
            "chat:send", {"room": ROOM, "body": "Zu löschen", "client_id": self.unique()}
        )
        return message

    async def someone_present(self) -> str:
        """A new participant, connected and in the room (so presence:list shows them)."""
        person_id, token = await self.server.person(name="Zielperson")
        await self.seat(person_id)
        client: Client = await self.connect(self.url, token)
        await client.ok("room:join", {"room": ROOM})
        return person_id

    async def seat(self, person_id: str, room: str = ROOM) -> None:
        """A seat in ROOM, where the workshops run (participants enter only their own room)."""
        if self.workshops:
            moved = await self.staff.ok("workshops:move", {"people": [person_id], "room": room})
            assert moved["refused"] == [], moved

    async def phase_status(self) -> str:
        snapshot = await self.staff.ok("room:join", {"room": ROOM})
        status: str = snapshot["workshops"]["phase"]["status"]
        return status

    async def phase_open(self) -> None:
        """The workshop phase running again, and every member back in the room."""
        status = await self.phase_status()
        if status != "open":
            mark = self.staff.first.mark()
            if status == "closed":
                await self.staff.ok("workshops:open", {"minutes": 240})
            else:  # returning: more time resumes it
                await self.staff.ok("workshops:extend", {"minutes": 0})
            await self.staff.first.wait_for(
                "workshops:phase", lambda d: d["phase"]["status"] == "open", since=mark
            )
        for member in self.members:
            await member.call("room:join", {"room": ROOM})

    async def phase_closed(self) -> None:
        """The workshop phase closed, and its participants sent out of the room."""
        await self.staff.ok("workshops:close", {})
        for _ in range(100):
            people = (await self.staff.ok("presence:list", {"room": ROOM}))["people"]
            if all(p["role"] != Role.PARTICIPANT for p in people):
                return
            await asyncio.sleep(0.05)
        raise AssertionError("participants stayed in the room of a closed workshop phase")

    async def poll(
        self,
        *,
        status: str,
        kind: str = "single",
        question: str = "Matrix?",
        options: Iterable[str] = ("Ja", "Nein"),
        results: str = "live",
    ) -> dict[str, Any]:
        definition = {"room": ROOM, "kind": kind, "question": question, "results": results}
        poll: dict[str, Any] = (
            await self.staff.ok("poll:create", {**definition, "options": list(options)})
        )["poll"]
        if status in ("open", "closed"):
            poll = (await self.staff.ok("poll:open", self.ref(poll)))["poll"]
        if status == "closed":
            poll = (await self.staff.ok("poll:close", self.ref(poll)))["poll"]
        return poll

    async def answer(self, poll: dict[str, Any], vote: Payload) -> None:
        await self.staff.ok("poll:vote", {**self.ref(poll), **vote})

    async def question(self, *, approved: bool) -> dict[str, Any]:
        asked = await self.staff.ok("question:ask", {"room": ROOM, "body": "Eine Frage?"})
        question: dict[str, Any] = asked["question"]
        if approved:
            question = (await self.staff.ok("question:approve", self.ref(question)))["question"]
        return question

    async def readback(self) -> Any:
        """What a moderator sees of the room and the event (the snapshot as those who manage
        the room get it, with what the stream shows; who is present with their mute, the notes and
        their versions),
        without what moves on its own."""
        snapshot = await self.staff.ok("room:join", {"room": ROOM})
        people = (await self.staff.ok("presence:list", {"room": ROOM}))["people"]
        notes = await self.staff.ok("notes:open", {"room": ROOM})
        versions = await self.staff.ok("notes:versions", {"room": ROOM})
        return _stable(
            {
                "snapshot": snapshot,
                "people": sorted(people, key=lambda p: p["id"]),
                # the document's state and mode (not the full update, nor what staff may do)
                "notes": {k: v for k, v in notes.items() if k not in ("update", "can_write")},
                "versions": versions,
            }
        )


def _stable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def _diff(before: Any, after: Any) -> str:
    lines = difflib.unified_diff(
        json.dumps(before, indent=1, sort_keys=True, ensure_ascii=False).splitlines(),
        json.dumps(after, indent=1, sort_keys=True, ensure_ascii=False).splitlines(),
        "before",
        "after",
        lineterm="",
        n=1,
    )
    return "\n".join(itertools.islice(lines, 40))


@dataclass
class Matrix:
    arrange: Arrange
    clients: dict[Who, Client]
    failures: list[str] = field(default_factory=list)

    async def check(self, event: str, entry: Entry) -> None:
        """Refused identities first, on one target, with the state read back around them;
        then each allowed identity on a fresh target."""
        cases = {who: entry.expect(who) for who in self.clients}
        refused = [who for who, expected in cases.items() if expected != OK]
        if refused:
            payload = await self.payload(entry)
            before = await self.arrange.readback()
            for who in refused:
                await self._attempt(event, who, payload, cases[who])
            after = await self.arrange.readback()
            if before != after:
                names = ", ".join(who.value for who in refused)
                self.failures.append(
                    f"{event}: refused to {names}, yet the state changed:\n{_diff(before, after)}"
                )
        for who in [who for who, expected in cases.items() if expected == OK]:
            payload = await self.payload(entry)
            if entry.before:
                await entry.before(self.arrange, self.clients[who])
            if await self._attempt(event, who, payload, OK) and entry.after:
                await entry.after(self.arrange, self.clients[who])

    async def payload(self, entry: Entry) -> Payload:
        if callable(entry.payload):
            return await entry.payload(self.arrange)
        return dict(entry.payload)

    async def _attempt(self, event: str, who: Who, payload: Payload, expected: str) -> bool:
        client = self.clients[who]
        if not client.sio.connected:
            outcome = CLOSED
        else:
            ack = await client.call(event, payload)
            outcome = OK if ack.get("ok") else str(ack.get("error", {}).get("code"))
        if outcome != expected:
            self.failures.append(f"{event} as {who.value}: expected {expected}, got {outcome}")
            return False
        if outcome not in (OK, CLOSED):
            saw_code(outcome)
        return True


async def prepare(
    server: LiveServer,
    connect: Connect,
    *,
    staff: int,
    identities: Iterable[Who],
    workshops: bool = False,
) -> Matrix:
    """Connections for the identities (spread over the server's processes) and for staff;
    with `workshops`, the workshop phase opens first, so that participants may enter ROOM
    (only on a server of the matrix's own: the phase is the whole event's)."""
    urls = itertools.cycle(server.urls)
    staff_clients = []
    for _ in range(staff):
        _, token = await server.person(Role.MODERATOR, name="Matrix-Team")
        client: Client = await connect(server.urls[0], token)
        await client.ok("room:join", {"room": ROOM})
        staff_clients.append(client)
    arrange = Arrange(server, server.urls[-1], Staff(staff_clients), connect, workshops)
    if workshops:
        await arrange.phase_open()
    clients = {}
    for who in identities:
        # the removed person on the last process, staff (who removes them) on the first
        url = server.urls[-1] if who is Who.REMOVED else next(urls)
        if who is not Who.NO_SESSION:
            clients[who] = await _identity(server, connect, arrange, who, url)
    arrange.members = [
        client
        for who, client in clients.items()
        if who not in (Who.PRESENTER, Who.REMOVED, Who.OTHER_PARTICIPANT)
    ]
    return Matrix(arrange, clients)


async def _identity(
    server: LiveServer, connect: Connect, arrange: Arrange, who: Who, url: str
) -> Client:
    if who is Who.PRESENTER:
        key = presenter_key(Settings(secret_key=server.env["CONFERENCE_SECRET_KEY"]))
        client: Client = await connect(url, auth={"presenter": key})
        await client.ok("presenter:join", {"room": ROOM})
        return client
    role, room = {
        Who.FACILITATOR: (Role.FACILITATOR, ROOM),
        Who.OTHER_FACILITATOR: (Role.FACILITATOR, OTHER_ROOM),
        Who.MODERATOR: (Role.MODERATOR, None),
    }.get(who, (Role.PARTICIPANT, None))
    person_id, token = await server.person(role, name=who.value.title(), room=room)
    if who is Who.PARTICIPANT:
        await arrange.seat(person_id)
    elif who is Who.OTHER_PARTICIPANT:
        await arrange.seat(person_id, OTHER_ROOM)
    client = await connect(url, token)
    if who is Who.REMOVED:
        # in no room: its connection is found by person, on whichever process it is
        await arrange.staff.ok("person:remove", {"person_id": person_id})
        await client.wait_for("session:ended", lambda d: d["reason"] == "removed")
        await disconnected(client)
        with pytest.raises(HandshakeRefused) as refused:
            await connect(url, token)
        assert refused.value.code == "auth.required", refused.value.data
        saw_code("auth.required")
        return client
    if who is Who.OTHER_PARTICIPANT and arrange.workshops:
        # in their own workshop, next door: what they send to ROOM must find no way in
        await client.ok("room:join", {"room": OTHER_ROOM})
        return client
    # where the workshops are closed (or ROOM is not theirs) some stay outside
    await client.call("room:join", {"room": ROOM})
    return client


async def disconnected(client: Client) -> None:
    """Wait until the server has ended the client's connection; nothing can be sent then."""
    await client.closed_by_server()
    try:
        await client.call("room:join", {"room": ROOM})
    except socketio.exceptions.BadNamespaceError:
        return
    raise AssertionError("a closed connection still took an event")
