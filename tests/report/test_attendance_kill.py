"""A process that dies leaves its visits ended when it last saw them, not open until the report
is built (which would count everyone present from the crash to the report)."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import signal
from collections.abc import Iterator
from typing import Any

import pytest

from conference.auth.roles import Role
from conference.events.loader import load_event
from tests.fixtures.live_server import (
    EVENT_FILE,
    LiveServer,
    logged_in,
    start_servers,
    stop_servers,
)

SEEN_SECONDS = 1


@pytest.fixture
def victim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_servers(
        tmp_path_factory.mktemp("attendance-kill"),
        extra_env={"CONFERENCE_ATTENDANCE_SEEN_SECONDS": str(SEEN_SECONDS)},
    )
    yield server
    stop_servers(server)


async def test_the_visits_of_a_killed_process_end_when_it_last_saw_them(
    victim: LiveServer, connect: Any
) -> None:
    _, token = await victim.person(name="Karla Kill")
    client = await connect(victim.url, token)
    await client.ok("room:join", {"room": "plenary"})
    await asyncio.sleep(3 * SEEN_SECONDS + 1)  # written, then seen a few times
    killed_at = dt.datetime.now(dt.UTC)
    victim.processes[0].send_signal(signal.SIGKILL)
    victim.processes[0].wait(timeout=10)
    await client.close()
    await asyncio.sleep(2)  # the report is built later: an open visit would grow meanwhile
    victim.start(0)
    victim.wait_ready()

    _, mod_token = await victim.person(Role.MODERATOR, name="Moritz Nachher")
    async with logged_in(victim, mod_token) as http:
        response = await http.get("/moderator/exports/attendance.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    (visit,) = [row for row in rows if row["name"] == "Karla Kill"]
    assert visit["left_at"], "the visit of the killed process stayed open"
    zone = load_event(EVENT_FILE).zone
    left = dt.datetime.strptime(visit["left_at"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
    # seen at most SEEN_SECONDS (plus a flush) before the kill, and never after it
    assert killed_at - dt.timedelta(seconds=SEEN_SECONDS + 2) <= left <= killed_at
