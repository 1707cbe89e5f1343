"""A server of its own with one short event on it (run once for the package and storage): the
report and the exports read the whole event."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from tests.fixtures.live_server import Client, LiveServer, start_servers, stop_servers
from tests.report.event import ShortEvent, run_short_event


@pytest.fixture(scope="package", params=["sqlite", "postgres"])
def event_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The report reads every table in one go: on SQLite, and on PostgreSQL."""
    database = None
    if request.param == "postgres":
        database = request.getfixturevalue("postgres").database("report")
    server = start_servers(
        tmp_path_factory.mktemp("report-event"),
        # the moderator runs a whole event in a few seconds
        extra_env={"CONFERENCE_RATE_LIMIT_BURST": "1000"},
        database_url=database,
    )
    yield server
    stop_servers(server)


@pytest.fixture(scope="package")
async def connect_module() -> AsyncIterator[Callable[..., Any]]:
    """`connect` for the whole package: the short event's people stay for every test."""
    clients: list[Client] = []

    async def _connect(url: str, token: str | None = None, **kwargs: Any) -> Client:
        client = Client(url, token, **kwargs)
        clients.append(client)
        return await client.connect()

    yield _connect
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)


@pytest.fixture(scope="package")
async def short_event(event_server: LiveServer, connect_module: Any) -> ShortEvent:
    return await run_short_event(event_server, connect_module)
