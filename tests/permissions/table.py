"""Who may send which realtime event: the expected verdicts, one entry per event.

tests/permissions/test_matrix.py takes every event the app registers (the routers of
conference/capabilities.py, with each handler's declared `Permission`) and sends it as every
identity in `Who`, expecting what this table says. A registered event without an entry here
fails that test, naming the event.

Adding an event is one entry in EXPECTED: who may send it (`Access`) and a payload that works
for those who may. A fixed payload is a dict; a payload that needs something to act on is a
sample function that arranges it (a fresh one for every case) and returns the payload:

    "workshop:extend": Entry(Access.MANAGER, {"room": ROOM, "minutes": 5}),
    "poll:close": Entry(Access.MANAGER, open_poll),

`verdicts` overrides single identities where the event's own rules differ from its access
level, e.g. `{Who.OTHER_FACILITATOR: "room.not_yours"}`; `before` runs on the sender's
connection before each allowed case (open the notes before sending an update), `after` after it
(join the room again after `room:leave`, open the phase again).
"""

from __future__ import annotations

import base64
import enum
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pycrdt

from conference.auth.roles import Permission
from conference.notes.docs import TEXT as NOTES_TEXT

if TYPE_CHECKING:
    from tests.fixtures.live_server import Client
    from tests.permissions.harness import Arrange

ROOM = "vernetzung"  # the room the cases act in: a workshop, so that it has a facilitator;
# the workshop phase is open and the participants have their seats there (harness.prepare)
OTHER_ROOM = "fachkraefte"  # the room of the other facilitator

OK = "ok"
CLOSED = "connection closed"  # the server ended the connection; nothing can be sent
HANDSHAKE = "handshake refused"  # no connection is accepted (tests: the raw-socket case)
FORBIDDEN = "auth.forbidden"
NOT_PARTICIPANT = "workshop.not_participant"

Payload = dict[str, Any]
Sample = Payload | Callable[["Arrange"], Awaitable[Payload]]
After = Callable[["Arrange", "Client"], Awaitable[None]]


class Who(enum.Enum):
    PARTICIPANT = "participant"
    OTHER_PARTICIPANT = "participant of another room"  # seated in OTHER_ROOM, and in it
    FACILITATOR = "facilitator of this room"
    OTHER_FACILITATOR = "facilitator of another room"
    MODERATOR = "moderator"
    PRESENTER = "presenter view"
    REMOVED = "removed person"
    NO_SESSION = "no session"


class Access(enum.Enum):
    """Who may send an event, and the `Permission` its handler must declare for that."""

    PARTICIPANT = ("everyone with a personal link", Permission.PARTICIPANT)
    IN_ROOM = ("everyone who joined the room", Permission.PARTICIPANT)
    MANAGER = ("the facilitator of the room, and moderators", Permission.FACILITATOR)
    MODERATOR = ("moderators only", Permission.MODERATOR)
    PRESENTER = ("presenter views and moderators (checked in the handler)", Permission.PARTICIPANT)

    def __init__(self, meaning: str, declared: Permission) -> None:
        self.meaning = meaning
        self.declared = declared


def verdict(access: Access, who: Who) -> str:
    """What `who` gets for an event of `access`: OK, CLOSED, HANDSHAKE or a refusal code."""
    if who is Who.REMOVED:
        return CLOSED
    if who is Who.NO_SESSION:
        return HANDSHAKE
    if who is Who.PRESENTER:
        return OK if access is Access.PRESENTER else FORBIDDEN
    if who is Who.MODERATOR or access is Access.PARTICIPANT:
        return OK
    if access is Access.IN_ROOM:  # the other room's people cannot enter this one
        return "room.not_joined" if who in (Who.OTHER_FACILITATOR, Who.OTHER_PARTICIPANT) else OK
    if access is Access.MANAGER and who is Who.FACILITATOR:
        return OK
    return FORBIDDEN


@dataclass(frozen=True)
class Entry:
    access: Access
    payload: Sample
    verdicts: Mapping[Who, str] = field(default_factory=dict)
    before: After | None = None
    after: After | None = None

    def expect(self, who: Who) -> str:
        return self.verdicts.get(who, verdict(self.access, who))


# --- sample payloads: each arranges a fresh target as staff (a moderator) ---------------------


async def chat_message(a: Arrange) -> Payload:
    return {"room": ROOM, "body": "Aus der Matrix", "client_id": a.unique()}


async def posted_message(a: Arrange) -> Payload:
    message = await a.message()
    return {"room": ROOM, "id": message["id"]}


async def someone(a: Arrange) -> Payload:
    person_id = await a.someone_present()
    return {"person_id": person_id}


async def draft_poll(a: Arrange) -> Payload:
    return a.ref(await a.poll(status="draft"))


async def open_poll(a: Arrange) -> Payload:
    return a.ref(await a.poll(status="open"))


async def closed_poll(a: Arrange) -> Payload:
    return a.ref(await a.poll(status="closed"))


async def unrevealed_poll(a: Arrange) -> Payload:
    return a.ref(await a.poll(status="open", results="on_reveal"))


async def vote(a: Arrange) -> Payload:
    return {**a.ref(await a.poll(status="open")), "options": ["o1"]}


async def open_answers(a: Arrange) -> Payload:
    poll = await a.poll(status="open", kind="open", question="Was noch?", options=[])
    await a.answer(poll, {"text": "Eine Antwort"})
    return {**a.ref(poll), "all": True}


async def held_question(a: Arrange) -> Payload:
    return a.ref(await a.question(approved=False))


async def edited_question(a: Arrange) -> Payload:
    return {**a.ref(await a.question(approved=False)), "body": "Geänderte Frage"}


async def approved_question(a: Arrange) -> Payload:
    return a.ref(await a.question(approved=True))


async def join_again(a: Arrange, client: Client) -> None:
    await client.call("room:join", {"room": ROOM})  # those it admits (room:join's verdicts)


async def mark(a: Arrange, client: Client) -> None:
    client.mark()


async def reaction_counted(a: Arrange, client: Client) -> None:
    # reactions are counted once a second; wait for that, so that the count does not land in
    # the read-back around the next event's refused cases
    await client.wait_for("reaction:burst", lambda d: d["room"] == ROOM)


async def notes_opened(a: Arrange, client: Client) -> None:
    await client.ok("notes:open", {"room": ROOM})


async def notes_edit(a: Arrange) -> Payload:
    doc = pycrdt.Doc()
    doc.get(NOTES_TEXT, type=pycrdt.Text).insert(0, "Aus der Matrix. ")
    return {"room": ROOM, "update": base64.b64encode(doc.get_update()).decode()}


async def notes_version(a: Arrange) -> Payload:
    saved = await a.staff.ok("notes:save", {"room": ROOM, "name": a.unique()})
    return {"room": ROOM, "id": saved["version"]["id"]}


async def restore(a: Arrange, client: Client) -> None:
    await a.phase_open()


async def closed_phase(a: Arrange) -> Payload:
    await a.phase_closed()
    return {"minutes": 240}


async def running_phase(a: Arrange) -> Payload:
    await a.phase_open()
    return {}


async def choosing(a: Arrange) -> Payload:
    await a.staff.ok("workshops:mode", {"mode": "choose"})
    return {"room": ROOM}


async def someone_seatless(a: Arrange) -> Payload:
    person_id, _ = await a.server.person(name="Ohne Platz")
    return {"people": [person_id], "room": ROOM}


async def help_request(a: Arrange) -> Payload:
    asked = await a.staff.ok("workshop:help", {"room": ROOM, "message": "Bitte kommen"})
    return {"id": asked["request"]["id"]}


# --- the table ------------------------------------------------------------------------------


async def key_results(a: Arrange) -> Payload:
    """The room's key results saved (publishing them needs the phase closed: `phase_over`)."""
    await a.staff.ok("gallery:save", {"room": ROOM, "results": ["Ergebnis der Matrix"]})
    return {"room": ROOM}


async def phase_over(a: Arrange, client: Client) -> None:
    await a.phase_closed()


async def published_result(a: Arrange) -> Payload:
    """A published key result; the phase is open again afterwards, as for every case."""
    await key_results(a)
    await a.phase_closed()
    published = await a.staff.ok("gallery:publish", {"room": ROOM})
    await a.phase_open()
    return {"id": published["results"][0]["id"]}


async def in_plenary(a: Arrange, client: Client) -> None:
    await client.call("room:join", {"room": "plenary"})  # results are upvoted there


EXPECTED: dict[str, Entry] = {
    # rooms
    "room:join": Entry(
        Access.PARTICIPANT,
        {"room": ROOM},
        {Who.OTHER_FACILITATOR: "room.not_yours", Who.OTHER_PARTICIPANT: "room.not_yours"},
    ),
    "room:leave": Entry(Access.PARTICIPANT, {"room": ROOM}, after=join_again),
    "room:sync": Entry(Access.IN_ROOM, {"room": ROOM, "after": 0}),
    # chat and reactions
    "chat:send": Entry(Access.IN_ROOM, chat_message),
    "chat:delete": Entry(Access.MANAGER, posted_message),
    "reaction:send": Entry(
        Access.IN_ROOM, {"room": ROOM, "emoji": "👏"}, before=mark, after=reaction_counted
    ),
    # the programme, announcements, moderation
    "agenda:set": Entry(Access.MODERATOR, {"step": 1}),
    "announce:post": Entry(Access.MODERATOR, {"text": "Aus der Matrix"}),
    "announce:clear": Entry(Access.MODERATOR, {}),
    "person:mute": Entry(Access.MODERATOR, someone),
    "person:remove": Entry(Access.MODERATOR, someone),
    "presence:list": Entry(Access.MANAGER, {"room": ROOM}),
    # polls
    "poll:create": Entry(
        Access.MANAGER,
        {"room": ROOM, "kind": "single", "question": "Matrix?", "options": ["Ja", "Nein"]},
    ),
    "poll:open": Entry(Access.MANAGER, draft_poll),
    "poll:reopen": Entry(Access.MANAGER, closed_poll),
    "poll:close": Entry(Access.MANAGER, open_poll),
    "poll:delete": Entry(Access.MANAGER, open_poll),
    "poll:reveal": Entry(Access.MANAGER, unrevealed_poll),
    "poll:answers:show": Entry(Access.MANAGER, open_answers),
    "poll:vote": Entry(Access.IN_ROOM, vote),
    "poll:results": Entry(Access.IN_ROOM, open_poll),
    "presenter:join": Entry(Access.PRESENTER, {"room": ROOM}),
    # questions
    "question:ask": Entry(Access.IN_ROOM, {"room": ROOM, "body": "Eine Frage der Matrix"}),
    "question:approve": Entry(Access.MANAGER, held_question),
    "question:reject": Entry(Access.MANAGER, held_question),
    "question:edit": Entry(Access.MANAGER, edited_question),
    "question:answered": Entry(Access.MANAGER, approved_question),
    "question:pin": Entry(Access.MANAGER, approved_question),
    "question:upvote": Entry(Access.IN_ROOM, approved_question),
    "question:unvote": Entry(Access.IN_ROOM, approved_question),
    # workshops: the moderator runs the afternoon, people in the rooms
    "workshops:open": Entry(Access.MODERATOR, closed_phase, after=restore),
    "workshops:extend": Entry(Access.MODERATOR, {"minutes": 5}),
    "workshops:return": Entry(Access.MODERATOR, {"seconds": 600}, after=restore),
    "workshops:close": Entry(Access.MODERATOR, running_phase, after=restore),
    "workshops:mode": Entry(Access.MODERATOR, {"mode": "assigned"}),
    "workshops:assign": Entry(Access.MODERATOR, {}),
    "workshops:move": Entry(Access.MODERATOR, someone_seatless),
    "workshops:room": Entry(Access.MODERATOR, {"title": "Matrixraum", "capacity": 10}),
    "workshops:help_answer": Entry(Access.MODERATOR, help_request),
    "workshops:overview": Entry(Access.MODERATOR, {}),
    "workshops:people": Entry(Access.MODERATOR, {}),
    "workshop:choose": Entry(
        Access.PARTICIPANT,
        choosing,
        {who: NOT_PARTICIPANT for who in (Who.FACILITATOR, Who.OTHER_FACILITATOR, Who.MODERATOR)},
    ),
    "workshop:help": Entry(Access.IN_ROOM, {"room": ROOM, "message": "Hilfe!"}),
    # shared notes of a workshop room
    "notes:open": Entry(Access.IN_ROOM, {"room": ROOM}),
    "notes:update": Entry(Access.IN_ROOM, notes_edit, before=notes_opened),
    "notes:awareness": Entry(Access.IN_ROOM, {"room": ROOM, "update": "AAAA"}, before=notes_opened),
    "notes:mode": Entry(Access.MANAGER, {"room": ROOM, "mode": "everyone"}),
    "notes:versions": Entry(Access.IN_ROOM, {"room": ROOM}),
    "notes:version": Entry(Access.IN_ROOM, notes_version),
    "notes:save": Entry(Access.MANAGER, {"room": ROOM, "name": "Matrixstand"}),
    "notes:restore": Entry(Access.MANAGER, notes_version),
    # the results gallery
    "gallery:save": Entry(Access.MANAGER, {"room": ROOM, "results": ["Aus der Matrix"]}),
    "gallery:publish": Entry(Access.MANAGER, key_results, before=phase_over, after=restore),
    "gallery:upvote": Entry(Access.PARTICIPANT, published_result, before=in_plenary),
    # what the stream shows
    "stage:set": Entry(Access.MODERATOR, {"kind": "nothing"}),
    # the event report
    "report:build": Entry(Access.MODERATOR, {"format": "docx"}),
    "report:list": Entry(Access.MODERATOR, {}),
}
