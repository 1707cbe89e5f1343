"""Fresh servers for the afternoon: the workshop phase and every seat are event-wide, so these
tests get servers of their own (one memory process on SQLite, or two processes sharing Redis and
PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from tests.fixtures.live_server import COMBINATIONS, LiveServer, start_servers, stop_servers

REDIS_DB = 6  # not the shared servers' database


@pytest.fixture(scope="module", params=COMBINATIONS)
def afternoon(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, redis_url: str
) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp(f"afternoon-{request.param}")
    if request.param == "memory-sqlite":
        server = start_servers(directory)
    else:
        url = f"{redis_url.rsplit('/', 1)[0]}/{REDIS_DB}"
        client = redis.Redis.from_url(url)
        try:
            client.flushdb()
        finally:
            client.close()
        database = request.getfixturevalue("postgres").database("afternoon")
        server = start_servers(directory, processes=2, redis_url=url, database_url=database)
    yield server
    stop_servers(server)
