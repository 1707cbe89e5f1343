"""Registrations at once on two processes sharing PostgreSQL: the capacity holds exactly, and
the same e-mail address sent twice at once registers one person."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from tests.fixtures.live_server import LiveServer, start_servers, stop_servers
from tests.fixtures.postgres_server import Postgres
from tests.registration.conftest import event_file, form
from tests.registration.helpers import count_people, people_with

CAPACITY = 5


@pytest.fixture(scope="module")
def two_on_postgres(
    tmp_path_factory: pytest.TempPathFactory, postgres: Postgres
) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp("registration-postgres")
    registration = f'open = true\ncapacity = {CAPACITY}\nprivacy_notice = "Hinweis."'
    server = start_servers(
        directory,
        processes=2,
        database_url=postgres.database("registration"),
        extra_env={"CONFERENCE_EVENT_FILE": str(event_file(directory, registration))},
    )
    yield server
    stop_servers(server)


async def test_the_last_places_go_to_exactly_as_many_people(two_on_postgres: LiveServer) -> None:
    server = two_on_postgres
    clients = [httpx.AsyncClient(base_url=url, timeout=30) for url in server.urls]
    try:
        same = form(email="doppelt@example.org", name="Doppelt Gesendet")
        twice = [clients[0].post("/register", data=same), clients[1].post("/register", data=same)]
        await asyncio.gather(*twice)
        assert len(await people_with(server, "doppelt@example.org")) == 1

        posts = [
            clients[i % 2].post("/register", data=form(email=f"person-{i}@example.org"))
            for i in range(40)
        ]
        answers = await asyncio.gather(*posts)
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    registered = [a for a in answers if a.status_code == 200 and "/join/" in a.text]
    full = [a for a in answers if a.status_code == 409]
    assert (len(registered), len(full)) == (CAPACITY - 1, 40 - CAPACITY + 1)
    assert all("Die Veranstaltung ist ausgebucht" in a.text for a in full)
    assert await count_people(server.database_url) == CAPACITY
