"""The tripwire: library code that conference replaces, wraps or relies on line by line.

conference/realtime/fanout.py and conference/realtime/guard.py replace or wrap internals of
python-socketio and python-engineio (pinned exactly in pyproject.toml and requirements.lock).
Each entry below is the sha256 of the upstream source as pinned. When an upgrade changes one,
this test fails and names what to re-check; after re-checking (and adapting our code), put the
new hash here. An upgrade is a decision, not an accident.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import re
import tomllib
from importlib import import_module, metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# dotted name -> (sha256 of its source (upstream_source), what depends on it and must be re-checked)
UPSTREAM: dict[str, tuple[str, str]] = {
    "engineio.async_socket.AsyncSocket.poll": (
        "826f58a9f3606db208e5d1266f075ad655b6eeda47b0a5616748624899ca5954",
        "fanout._poll replaces it on websockets: same results (None ends the writer, "
        "task_done per packet), without the timer per wake-up",
    ),
    "engineio.async_socket.AsyncSocket.send": (
        "0437276ccba7ab091471e29f4bc6a0f178da7b16a590c707d6c69a97609e6d14",
        "fanout.fan_out bypasses it (puts straight on socket.queue): its checks (closed, "
        "ping timeout) are repeated there",
    ),
    "engineio.async_socket.AsyncSocket._websocket_handler": (
        "27f120df4d717a24478b7b0f7389ce19eea8a881dd07e2c81fb1cf2493e006a5",
        "fanout._poll relies on the reader waking the writer with None; guard.GuardedServer.drop "
        "ends the writer with None; guard.TransportGuard refuses the frames its decoding raises on",
    ),
    "engineio.async_socket.AsyncSocket.handle_post_request": (
        "82dca119a261a95904b8714cc255ab79aaaef0acd4a0ef98d8ef7a116c370ef2",
        "guard.TransportGuard answers POSTs over max_http_buffer_size and undecodable bodies "
        "before this raises",
    ),
    "engineio.async_socket.AsyncSocket.close": (
        "faa2e93902543244d2a1b772cdf4074d1615532e98fa6ca896739ca54ad64e76",
        "guard.GuardedServer.drop closes with wait=False (queues CLOSE, runs the disconnect)",
    ),
    "engineio.async_server.AsyncServer.handle_request": (
        "1a8c878e35166cfe868d2cef40cdeb33af620541363a705c4dd2eea76c0f27af",
        "guard.TransportGuard: a POST's EngineIOError made it await disconnect() (hangs until the "
        "next GET), a POST to a closed session raised KeyError; are both still so?",
    ),
    "engineio.packet.Packet.encode": (
        "8f3d5d869711cbb8da4ea03dc81afef2672428c0faaba04c1e3d7d70b5affe29",
        "fanout._Encoded overrides encode with a cached string",
    ),
    "engineio.packet.Packet.decode": (
        "18e27ff7fd56addd0f25e2be4dbf33d8f65873ba970f4a3f7b9feaa9e22c53b8",
        "guard.engine_frame_ok lets through only the frames this decodes without raising",
    ),
    "engineio.payload.Payload.decode": (
        "9c7975664d815d3d25856740f4b22cbfd872ce132c3aa0f423d8d8cb13eb0717",
        "guard.TransportGuard checks the packet count (max_decode_packets) and the separator",
    ),
    "socketio.base_manager.BaseManager.basic_enter_room": (
        "3f509586d2d7f47ec92cc5113a80f5302ca1d82fb3689ee530edd3aa9ad6a1a3",
        "fanout.RoomIndex wraps it and keeps each connection's rooms beside the library's",
    ),
    "socketio.base_manager.BaseManager.basic_leave_room": (
        "e27f3eea06d1c6a6ea295e99f62477330af4779e1f1853753e94f309ef0e74f2",
        "fanout.RoomIndex wraps it",
    ),
    "socketio.base_manager.BaseManager.basic_disconnect": (
        "2933b50bc4b2ea7b4367a84e05c2e22c52fed98b00afc3b88d06d61ab9fb9aa1",
        "fanout.RoomIndex.basic_disconnect replaces it: same bookkeeping (rooms, callbacks, "
        "pending connects and disconnects), only the connection's own rooms",
    ),
    "socketio.async_manager.AsyncManager.emit": (
        "01ccd5b82b4f955e4f2e4d07b5fbf09cacef868e9f61bc2abe56d92118a5f3ac",
        "fanout.FanoutManager.emit replaces it (fan_out: one encoding, no task per recipient)",
    ),
    "socketio.async_pubsub_manager.AsyncPubSubManager.emit": (
        "6cc46e0ff9b6d7cfec7ad50b44b3738550b8107c477416e692e194bc0b19f311",
        "fanout.FanoutRedisManager.emit replaces it (publishes the same message shape first)",
    ),
    "socketio.async_pubsub_manager.AsyncPubSubManager._handle_emit": (
        "4284671be955f644db57572ca19e27c79b0444f89efd4583dac5654650f42c78",
        "fanout.FanoutRedisManager._handle_emit replaces it for non-binary broadcasts",
    ),
    "socketio.async_redis_manager.AsyncRedisManager._redis_listen_with_retries": (
        "ad347f253fd3423ad5dd53dbbf67749867b2991fa2c93fecd2fd2396593a6b84",
        "fanout.FanoutRedisManager._redis_listen_with_retries is a copy with shorter pauses "
        "(also pinned by tests/realtime/test_redis_outage.py): carry the changes over",
    ),
    "socketio.async_redis_manager.AsyncRedisManager._publish": (
        "033e4da7cc8768b45283323b44859bc6102b7cd9e9d1022c42d84cf0f2a617b1",
        "fanout.FanoutRedisManager._publish_unless_down relies on it logging and swallowing "
        "failures (answering None) and on `connected = False` making the next one reconnect",
    ),
    "socketio.async_server.AsyncServer._handle_eio_message": (
        "bef50fc0e1635921c922995dba721d05d1c5ccc95d6a6b7647a1db75c4e6032e",
        "guard.GuardedServer._guarded_message replaces it branch by branch",
    ),
    "socketio.async_server.AsyncServer._handle_event": (
        "65178105ef8b593d1ebb63610cbabab0c29654cee50fd669ba0a66590f2e1f54",
        "guard.GuardedServer._handle_event checks the data before calling it (data[0] is read "
        "unchecked there)",
    ),
    "socketio.packet.Packet.decode": (
        "61ad7904b539f4728d84d0db1a2051a762676a85ab5bacfaf83f3b3465190a8a",
        "guard.GuardedPacket reads the data part through `self.json.loads` and relies on the "
        "header (type, attachments, namespace, id) being read before it",
    ),
    "socketio.exceptions.ConnectionRefusedError.__init__": (
        "4cb8b27e54d7c822a0950139543af924a31c1c51d0063aa6bb1651c83b902307",
        "server.HandshakeRefused sets error_args ({message, data: {code, message}})",
    ),
    "uvicorn.protocols.websockets.websockets_sansio_impl.WebSocketsSansIOProtocol"
    ".send_receive_event_to_app": (
        "a2b10de91477dc1d4d0e7c9065b85388a5b2a6ebeb84d6ec1591e112ca0bfbb9",
        "logs.CLIENT_FAULTS names the message it logs with a traceback for invalid UTF-8",
    ),
}

PINNED = ("python-socketio", "python-engineio")


def upstream_source(dotted: str) -> str:
    """The source of a function or method as its library's file has it, read with ast: what
    inspect.getsource gives, also after conference has replaced the attribute at run time
    (fanout.py installs its own AsyncSocket.poll once an app is built in this process)."""
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            module = import_module(".".join(parts[:split]))
        except ImportError:
            continue
        text = Path(inspect.getfile(module)).read_text(encoding="utf-8")
        body: list[ast.stmt] = ast.parse(text).body
        node: ast.stmt | None = None
        for name in parts[split:]:
            node = next(
                n
                for n in body
                if isinstance(n, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                and n.name == name
            )
            body = node.body
        assert isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        lines = text.splitlines(keepends=True)
        return "".join(lines[first - 1 : node.end_lineno])
    raise ImportError(dotted)


@pytest.mark.parametrize("dotted", list(UPSTREAM))
def test_replaced_upstream_code_is_unchanged(dotted: str) -> None:
    expected, recheck = UPSTREAM[dotted]
    source = upstream_source(dotted)
    actual = hashlib.sha256(source.encode()).hexdigest()
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in PINNED)
    assert actual == expected, (
        f"{dotted} changed upstream ({versions}). Re-check: {recheck}. "
        f"Then set its hash in tests/realtime/test_upstream.py to {actual}."
    )


def _pins(lines: list[str]) -> dict[str, str]:
    pins = {}
    for line in lines:
        match = re.match(r"^\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?==([^\s;\\]+)", line)
        if match:
            pins[match.group(1).lower()] = match.group(3)
    return pins


def test_the_replaced_libraries_are_pinned_exactly_and_installed_as_pinned() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = _pins(project["dependencies"])
    locked = _pins((ROOT / "requirements.lock").read_text().splitlines())
    for name in PINNED:
        assert name in declared, f"pyproject.toml must pin {name} exactly (==)"
        assert locked.get(name) == declared[name], f"requirements.lock disagrees on {name}"
        assert metadata.version(name) == declared[name], (
            f"{name} {metadata.version(name)} is installed, {declared[name]} is pinned: "
            "run scripts/setup.sh"
        )


def test_the_lock_holds_every_dependency_of_the_server() -> None:
    """A dependency added to pyproject.toml without renewing requirements.lock would be
    missing from the Docker image (docs/operations.md says how to renew it)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["postgres"]
    locked = _pins((ROOT / "requirements.lock").read_text().splitlines())
    for requirement in wanted:
        name = re.split(r"[\[<>=!~;\s]", requirement, maxsplit=1)[0].lower()
        assert name in locked, f"{name} is missing from requirements.lock: renew it"
