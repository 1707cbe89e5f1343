"""Hostile packets, sent raw over a websocket and over long-polling: every one is answered with a
coded refusal (or the connection is cleanly closed), and none writes a traceback to the log.

The guard is conference/realtime/guard.py; the packet shapes follow the socket.io protocol
(`42<ack id>[event, payload]`), sent as text that no socket.io client library would produce.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from conference.auth.roles import Role
from conference.capabilities import CAPABILITIES
from tests.fixtures.asserted import refused, saw_code
from tests.fixtures.live_server import LiveServer, start_servers, stop_servers
from tests.realtime.rawclient import CLOSED, TRANSPORTS, RawPolling, RawWebsocket

MAX_PAYLOAD = 4096  # CONFERENCE_MAX_PAYLOAD_BYTES of this module's server
TRANSPORT_LIMIT = MAX_PAYLOAD * 4


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own, so that its log holds only what these tests caused."""
    server = start_servers(
        tmp_path_factory.mktemp("hostile-server"),
        extra_env={
            "CONFERENCE_MAX_PAYLOAD_BYTES": str(MAX_PAYLOAD),
            "CONFERENCE_RATE_LIMIT_PER_SECOND": "10000",
            "CONFERENCE_RATE_LIMIT_BURST": "10000",
        },
    )
    yield server
    stop_servers(server)


@pytest.fixture(scope="module")
async def token(hostile_server: LiveServer) -> str:
    _, join_token = await hostile_server.person(name="Feindselig")
    return join_token


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


BAD = "packet.invalid"

# (name, frame with "{id}" where the ack id goes, the expected code)
EVENTS: list[tuple[str, str, str]] = [
    # integers past 64 bits, and numbers past what any field may hold
    ("u64", '42{id}["room:sync",{"room":"plenary","after":18446744073709551615}]', BAD),
    ("i128", f'42{{id}}["room:sync",{{"room":"plenary","after":{2**100}}}]', BAD),
    ("below i64", f'42{{id}}["room:sync",{{"room":"plenary","after":{-(2**64)}}}]', BAD),
    ("float 1e23", '42{id}["room:sync",{"room":"plenary","after":1e23}]', BAD),
    ("1e999", '42{id}["room:sync",{"room":"plenary","after":1e999}]', BAD),
    # event names that are no strings, or that python-socketio reserves
    ("null name", "42{id}[null]", BAD),
    ("number name", "42{id}[42]", BAD),
    ("true name", "42{id}[true]", BAD),
    ("object name", '42{id}[{"event":"room:join"}]', BAD),
    ("array name", '42{id}[["room:join"]]', BAD),
    ("connect", '42{id}["connect"]', "event.unknown"),
    ("connect with auth", '42{id}["connect",{"token":"x"}]', "event.unknown"),
    ("disconnect", '42{id}["disconnect"]', "event.unknown"),
    ("catch-all", '42{id}["*"]', "event.unknown"),
    ("catch-all with name", '42{id}["*","room:join",{"room":"plenary"}]', "event.unknown"),
    ("connect_error", '42{id}["connect_error",{}]', "event.unknown"),
    ("unknown", '42{id}["no:such",{}]', "event.unknown"),
    # nesting past the encoder's depth (254) and past the decoder's (1024)
    ("deep 300", '42{id}["chat:send",' + _deep(300) + "]", BAD),
    ("deep 2000", '42{id}["chat:send",' + _deep(2000) + "]", BAD),
    ("deep object", '42{id}["chat:send",' + '{"a":' * 300 + "1" + "}" * 300 + "]", BAD),
    # what JSON does not have
    ("NaN", '42{id}["chat:send",NaN]', BAD),
    ("Infinity", '42{id}["chat:send",Infinity]', BAD),
    ("-Infinity", '42{id}["chat:send",{"room":-Infinity}]', BAD),
    ("lone high surrogate", '42{id}["chat:send",{"body":"\\ud800 x"}]', BAD),
    ("lone low surrogate", '42{id}["chat:send",{"body":"\\udc00"}]', BAD),
    ("single quotes", "42{id}['chat:send']", BAD),
    # truncated JSON
    ("truncated object", '42{id}["chat:send",{"room":"pl', BAD),
    ("truncated array", "42{id}[", BAD),
    ("unclosed", '42{id}["room:join"', BAD),
    ("trailing garbage", '42{id}["room:join",{"room":"plenary"}]xyz', BAD),
    # empty arrays and objects, and no array at all
    ("empty array", "42{id}[]", BAD),
    ("object", "42{id}{}", BAD),
    ("string", '42{id}"room:join"', BAD),
    ("null", "42{id}null", BAD),
    ("nothing", "42{id}", BAD),
    ("empty payload object", '42{id}["room:join",{}]', "payload.invalid"),
    ("empty payload array", '42{id}["room:join",[]]', "payload.invalid"),
    ("payload string", '42{id}["room:join","plenary"]', "payload.invalid"),
    # bytes, not characters: 1,500 euro signs are 4,500 bytes
    (
        "bytes over the limit",
        '42{id}["chat:send",{"room":"plenary","body":"' + "€" * 1500 + '","client_id":"b-1"}]',
        "payload.too_large",
    ),
    (
        "escapes over the limit",
        '42{id}["chat:send",{"room":"plenary","body":"' + "\\u20ac" * 800 + '","client_id":"b2"}]',
        "payload.too_large",
    ),
    # a namespace the client never connected to
    ("foreign namespace", '42/admin,{id}["room:join",{"room":"plenary"}]', "auth.required"),
]

# frames after which the server closes the connection (they ask for no answer, or have no id)
GARBAGE: list[tuple[str, str]] = [
    ("text", "hello"),
    ("empty message", "4"),
    ("bad packet type", "4x"),
    ("unknown packet type", "49"),
    ("connect error from a client", '44{"message":"x"}'),
    ("ack nobody asked for", "4317[1]"),
    ("id too long", "42" + "9" * 150 + '["room:join"]'),
    ("too many attachments", "4599999999999-[]"),
    ("NaN without an id", '42["chat:send",NaN]'),
    ("null name without an id", "42[null]"),
    ("reserved name without an id", '42["disconnect"]'),
    ("empty array without an id", "42[]"),
    ("deep without an id", '42["chat:send",' + _deep(300) + "]"),
    ("u64 without an id", '42["room:sync",{"room":"plenary","after":18446744073709551616}]'),
]


@pytest.fixture(params=list(TRANSPORTS))
def transport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def opened(hostile_server: LiveServer, token: str, transport: str) -> AsyncIterator[Any]:
    raw = await TRANSPORTS[transport].open(hostile_server.url, token)
    yield raw
    await raw.close()


def assert_clean_log(server: LiveServer) -> None:
    log = server.log_text()
    assert "Traceback" not in log, log[-4000:]
    assert "server.error" not in log, log[-4000:]
    assert " failed" not in log, log[-4000:]


async def test_every_hostile_event_is_refused_with_a_code(
    hostile_server: LiveServer, opened: Any
) -> None:
    for ack_id, (name, template, code) in enumerate(EVENTS, start=1):
        await opened.send(template.replace("{id}", str(ack_id)))
        answer = await opened.answer(ack_id)
        assert answer != CLOSED, f"{name}: closed instead of {code}"
        refused(answer, code, name)
    # the connection is still good for honest work afterwards
    await opened.send('42999["room:join",{"room":"plenary"}]')
    joined = await opened.answer(999)
    assert joined["ok"] is True, joined
    assert_clean_log(hostile_server)


@pytest.mark.parametrize(("name", "frame"), GARBAGE, ids=[name for name, _ in GARBAGE])
async def test_garbage_closes_the_connection_cleanly(
    hostile_server: LiveServer, opened: Any, name: str, frame: str
) -> None:
    await opened.send(frame)
    assert await opened.answer(None) == CLOSED, name
    assert_clean_log(hostile_server)


async def test_a_binary_attachment_that_does_not_fit_closes_the_connection(
    hostile_server: LiveServer, token: str
) -> None:
    raw = await RawWebsocket.open(hostile_server.url, token)
    try:
        await raw.send('451-["chat:send",{"_placeholder":true,"num":7}]')
        await raw.ws.send(b"\x00\x01")
        assert await raw.answer(None) == CLOSED
    finally:
        await raw.close()
    assert_clean_log(hostile_server)


async def test_invalid_utf8_closes_a_websocket(hostile_server: LiveServer, token: str) -> None:
    raw = await RawWebsocket.open(hostile_server.url, token)
    try:
        await raw.send_bytes(b'421["chat:send",{"body":"\xed\xa0\x80"}]')
        assert await raw.answer(1) == CLOSED
    finally:
        await raw.close()
    assert_clean_log(hostile_server)


async def test_invalid_utf8_in_a_poll_is_refused(hostile_server: LiveServer, token: str) -> None:
    raw = await RawPolling.open(hostile_server.url, token)
    try:
        response = await raw.post(b'421["chat:send",{"body":"\xed\xa0\x80"}]')
        assert response.status_code == 400
        assert response.json()["code"] == "packet.invalid"
        assert await raw.answer(None) == CLOSED
    finally:
        await raw.close()
    assert_clean_log(hostile_server)


@pytest.mark.parametrize("login", [False, True], ids=["without login", "logged in"])
async def test_a_poll_over_the_transport_limit_is_answered_at_once(
    hostile_server: LiveServer, token: str, login: bool
) -> None:
    raw = await RawPolling.open(hostile_server.url, token if login else None)
    try:
        body = '42["chat:send",{"body":"' + "x" * TRANSPORT_LIMIT + '"}]'
        # `timeout` bounds a hang (before the fix: until the proxy gave up, an hour)
        response = await asyncio.wait_for(raw.post(body), 10)
        assert response.status_code == 413
        answer = response.json()
        assert answer["code"] == "payload.too_large"
        assert answer["message"]
        saw_code("payload.too_large")
        assert await raw.answer(None) == CLOSED
    finally:
        await raw.close()
    assert_clean_log(hostile_server)


async def test_a_chunked_poll_over_the_limit_is_answered_too(
    hostile_server: LiveServer, token: str
) -> None:
    raw = await RawPolling.open(hostile_server.url, None)

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(TRANSPORT_LIMIT // 1000 + 2):
            yield b"x" * 1000

    try:
        response = await asyncio.wait_for(raw.http.post(raw.path, content=chunks()), 10)
        assert response.status_code == 413
        assert response.json()["code"] == "payload.too_large"
    finally:
        await raw.close()
    assert_clean_log(hostile_server)


async def test_a_poll_for_an_unknown_session_over_the_limit_is_answered(
    hostile_server: LiveServer,
) -> None:
    async with httpx.AsyncClient(base_url=hostile_server.url, timeout=10) as http:
        response = await http.post(
            "/socket.io/?EIO=4&transport=polling&sid=nobody", content="x" * (TRANSPORT_LIMIT + 1)
        )
    assert response.status_code == 413
    assert response.json()["code"] == "payload.too_large"


async def test_a_refused_handshake_carries_code_and_message(
    hostile_server: LiveServer, transport: str
) -> None:
    for auth, code in (
        ('{"token":"not-a-token"}', "auth.required"),
        ("[1,2]", "auth.required"),
        ('{"token":1e999}', "packet.invalid"),
        ('{"token":"x","locale":["de"]}', "auth.required"),
    ):
        raw = await TRANSPORTS[transport].open(hostile_server.url, None)
        try:
            await raw.send("40" + auth)
            error = await _connect_error(raw)
            assert set(error) == {"message", "data"}, error
            assert set(error["data"]) == {"code", "message"}, error
            assert error["data"]["code"] == code, (auth, error)
            assert error["data"]["message"] == error["message"]
            saw_code(code)
        finally:
            await raw.close()
    assert_clean_log(hostile_server)


async def _connect_error(raw: Any) -> dict[str, Any]:
    async with asyncio.timeout(10):
        while True:
            if isinstance(raw, RawWebsocket):
                frames = [str(await raw.ws.recv())]
            else:
                frames = await raw._get() or []
            for frame in frames:
                if frame.startswith("44"):
                    error: dict[str, Any] = json.loads(frame[2:])
                    return error


async def test_a_join_whose_client_has_gone_is_no_error(
    hostile_server: LiveServer, token: str
) -> None:
    for _ in range(20):
        raw = await RawWebsocket.open(hostile_server.url, token)
        await raw.send('421["room:join",{"room":"plenary"}]')
        await raw.ws.close()
    await asyncio.sleep(1.0)
    assert_clean_log(hostile_server)


SWEEP_PAYLOADS = [
    "NaN",
    "1e999",
    str(2**64),
    "null",
    "[]",
    "{}",
    '"plenary"',
    '{"room":"plenary","after":18446744073709551615}',
    '{"room":"plenary","id":{"$gt":""},"body":[1]}',
    '{"room":"\\ud800"}',
    '{"room":"plenary","a":' + _deep(100) + "}",
    '{"room":"plenary","text":"' + "€" * 1400 + '"}',
]


async def test_every_event_with_hostile_payloads_is_answered(
    hostile_server: LiveServer,
) -> None:
    """Every registered event (as a moderator, who reaches the most handlers) with each hostile
    payload: an ack every time, never server.error, nothing in the log."""
    _, moderator_token = await hostile_server.person(Role.MODERATOR, name="Mod")
    events = sorted({event for c in CAPABILITIES.values() for event in c.router.routes})
    raw = await RawWebsocket.open(hostile_server.url, moderator_token)
    try:
        ack_id = 0
        for event in events:
            for payload in SWEEP_PAYLOADS:
                ack_id += 1
                await raw.send(f"42{ack_id}[{json.dumps(event)},{payload}]")
                answer = await raw.answer(ack_id)
                assert isinstance(answer, dict), (event, payload[:40], answer)
                if not answer["ok"]:
                    assert answer["error"]["code"] != "server.error", (event, payload[:40])
    finally:
        await raw.close()
    assert_clean_log(hostile_server)
