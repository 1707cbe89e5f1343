"""The server's logs hold no client addresses and no join links, unless shortened addresses
are turned on for abuse handling; the nginx configuration in deploy/ logs the same way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import socketio

from tests.fixtures.live_server import LiveServer, start_servers, stop_servers

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", params=["none", "shortened"])
def logging_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, LiveServer]]:
    env = {"CONFERENCE_LOG_LEVEL": "info", "CONFERENCE_LOG_IP_ADDRESSES": request.param}
    server = start_servers(tmp_path_factory.mktemp(f"logs-{request.param}"), extra_env=env)
    yield request.param, server
    stop_servers(server)


async def test_no_address_and_no_join_link_in_the_logs(logging_server) -> None:
    mode, server = logging_server
    _, token = await server.person(name="Lotte Log")
    async with httpx.AsyncClient(base_url=server.url) as http:
        assert (await http.get(f"/join/{token}")).status_code == 303
        assert (await http.get("/join/not-a-valid-link")).status_code == 404
        assert (await http.get("/presenter/not-the-key")).status_code == 404
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(server.url, auth={"token": token}, transports=["websocket"])
    await client.disconnect()
    stop_servers(server)  # flushes the log
    text = server.log_text()
    assert '"GET /join/*** HTTP/1.1" 303' in text
    assert '"GET /presenter/*** HTTP/1.1" 404' in text
    assert '"WebSocket /socket.io/' in text
    for secret in (token, "not-a-valid-link", "not-the-key"):
        assert secret not in text
    requests = [line for line in text.splitlines() if '"GET ' in line or "WebSocket" in line]
    assert requests
    # the only address left is the server's own, in the line that says where it listens
    others = [line for line in text.splitlines() if "Uvicorn running on" not in line]
    if mode == "none":
        assert "127.0.0" not in "\n".join(others)
        assert all(re.search(r'INFO:\s+- - "', line) for line in requests), requests
    else:
        assert "127.0.0.1" not in "\n".join(requests)
        assert all(re.search(r'INFO:\s+127\.0\.0\.0 - "', line) for line in requests), requests


def test_the_nginx_configuration_logs_neither_addresses_nor_join_links() -> None:
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    lines = [line.split("#", 1)[0] for line in text.splitlines()]
    active = "\n".join(lines)
    formats = re.findall(r"log_format\s+(\w+)((?:[^;])*);", active)
    assert formats, "nginx.conf defines its own log format"
    for _, format_ in formats:
        for variable in ("$remote_addr", "$request ", "$request_uri", "$http_x_forwarded_for"):
            assert variable not in format_ + " ", variable
    access_logs = re.findall(r"access_log\s+([^;]+);", active)
    assert access_logs
    for entry in access_logs:
        assert entry.split()[-1] in {name for name, _ in formats} or entry.strip() == "off"
    assert re.search(r"~\^/join/\s+\S+;", active), "join links are cut from the logged path"
    assert re.search(r"error_log\s+\S+\s+crit;", active), "error lines name client and request"
