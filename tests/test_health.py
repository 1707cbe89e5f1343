"""/healthz reports the database and the room-state backend."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.fixtures.live_server import EVENT_FILE, LiveServer
from tests.fixtures.redis_server import free_port


def test_health_is_up_on_memory(memory_server: LiveServer) -> None:
    response = httpx.get(memory_server.url + "/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "up",
        "room_state": {"backend": "memory", "status": "up"},
    }


def test_health_is_up_on_redis(redis_servers: LiveServer) -> None:
    for url in redis_servers.urls:
        body = httpx.get(url + "/healthz").json()
        assert body["room_state"] == {"backend": "redis", "status": "up"}


def test_health_is_down_when_redis_is_away(tmp_path: Path) -> None:
    """The server still starts and answers, and says what is down (503)."""
    port, dead_redis = free_port(), free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "CONFERENCE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'c.db'}",
        "CONFERENCE_EVENT_FILE": str(EVENT_FILE),
        "CONFERENCE_VAR_DIR": str(tmp_path / "var"),
        "CONFERENCE_REDIS_URL": f"redis://127.0.0.1:{dead_redis}/0",
        "CONFERENCE_LOG_LEVEL": "error",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "conference", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not answer"
                time.sleep(0.2)
        assert response.status_code == 503
        assert response.json()["database"] == "up"
        assert response.json()["room_state"] == {"backend": "redis", "status": "down"}
    finally:
        process.terminate()
        process.wait(timeout=10)
