"""A page whose join link was revoked meanwhile: the reconnect's `connect_error` carries
`data: {code, message}`, and the page ends the session on the code (it never reads the text)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.async_api import expect

from conference.auth.people import revoke_tokens
from conference.storage.db import Database
from tests.browser.people import join
from tests.fixtures.live_server import LiveServer, start_servers, stop_servers


@pytest.fixture(scope="module")
def restartable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own: the test restarts it."""
    server = start_servers(tmp_path_factory.mktemp("refused-handshake"))
    yield server
    stop_servers(server)


async def test_a_revoked_link_ends_the_page_on_reconnect(
    restartable: LiveServer, new_context
) -> None:
    person_id, token = await restartable.person(name="Widerruf")
    page = await join(new_context, restartable, token)
    db = Database(restartable.database_url)
    try:
        async with db.write() as conn:
            await revoke_tokens(conn, person_id)
    finally:
        await db.close()
    restartable.restart(0)  # the page reconnects: its handshake is refused with auth.required
    await expect(page.locator("#session-ended")).to_be_visible(timeout=20_000)
    await expect(page.locator("body")).to_have_attribute("data-live", "ended")
