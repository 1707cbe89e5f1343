"""The moderators' exports over HTTP, and the read-only presenter view (page and socket)."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import socketio

from conference.auth.presenter import presenter_key
from conference.auth.roles import Role
from conference.settings import Settings
from tests.fixtures.asserted import refused
from tests.fixtures.live_server import LiveServer
from tests.polls.helpers import moderator, open_poll, participant, ref


def _key(live: LiveServer) -> str:
    return presenter_key(Settings(secret_key=live.env["CONFERENCE_SECRET_KEY"]))


@contextlib.asynccontextmanager
async def _browser(
    live: LiveServer, role: Role = Role.PARTICIPANT
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client logged in with a fresh join link."""
    _, token = await live.person(role)
    async with httpx.AsyncClient(base_url=live.url) as client:
        await client.get(f"/join/{token}")
        yield client


async def test_moderators_export_results_and_answers(live: LiveServer, connect: Any) -> None:
    mod = await moderator(live, connect)
    poll = await open_poll(
        mod, kind="single", question="Export?", options=["=Ja", "Nein"], anonymous=False
    )
    voter = await participant(live, connect, name="Erika Export")
    await voter.ok("poll:vote", {**ref(poll), "options": ["o1"]})
    asker = await participant(live, connect, name="Fritz Frage")
    question = (await asker.ok("question:ask", {"room": "plenary", "body": "Export-Frage?"}))[
        "question"
    ]
    await mod.ok("question:approve", {"room": "plenary", "id": question["id"]})

    async with _browser(live, Role.MODERATOR) as browser:
        response = await browser.get(f"/moderator/polls/{poll['id']}/results.csv")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        # German Excel: `;`, a byte-order mark, decimals with a comma
        assert response.content.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
        assert ["o1", "'=Ja", "1", "100"] in rows  # no formula injection
        assert any(row[:3] == ["Erika Export", "Testorganisation", "'=Ja"] for row in rows)
        data = (await browser.get(f"/moderator/polls/{poll['id']}/results.json")).json()
        assert data["results"]["voters"] == 1
        assert data["answers"][0]["name"] == "Erika Export"
        response = await browser.get("/moderator/questions.csv")
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
        row = next(r for r in rows if r[4] == "Export-Frage?")
        assert row[1] == "approved"
        assert row[5] == "Fritz Frage"
        missing = await browser.get("/moderator/polls/nope/results.json")
        assert missing.status_code == 404

    async with _browser(live) as browser:
        for path in (
            f"/moderator/polls/{poll['id']}/results.csv",
            f"/moderator/polls/{poll['id']}/results.json",
            "/moderator/questions.csv",
        ):
            assert (await browser.get(path)).status_code == 403, path
    async with httpx.AsyncClient(base_url=live.url) as anonymous:
        assert (await anonymous.get("/moderator/questions.csv")).status_code == 401


async def test_anonymous_polls_export_no_names(live: LiveServer, connect: Any) -> None:
    mod = await moderator(live, connect)
    poll = await open_poll(mod, kind="wordcloud", question="Anonym?")
    voter = await participant(live, connect, name="Geheim Person")
    await voter.ok("poll:vote", {**ref(poll), "words": ["Zukunft"]})
    async with _browser(live, Role.MODERATOR) as browser:
        data = (await browser.get(f"/moderator/polls/{poll['id']}/results.json")).json()
        assert data["answers"] is None
        assert data["results"]["words"] == [{"word": "Zukunft", "count": 1, "forms": ["Zukunft"]}]
        text = (await browser.get(f"/moderator/polls/{poll['id']}/results.csv")).text
        assert "Geheim" not in text


async def test_the_presenter_page_needs_its_key(live: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live.url) as client:
        page = await client.get(f"/presenter/{_key(live)}")
        assert page.status_code == 200
        assert "presenter.js" in page.text
        assert (await client.get("/presenter/wrong-key")).status_code == 404


async def test_the_presenter_socket_is_read_only(live: LiveServer, connect: Any) -> None:
    mod = await moderator(live, connect)
    poll = await open_poll(mod, kind="rating", question="Presenter?")
    received: list[Any] = []
    presenter = socketio.AsyncClient(reconnection=False)
    presenter.on("poll:results", lambda data: received.append(data))
    await presenter.connect(live.urls[-1], auth={"presenter": _key(live)}, transports=["websocket"])
    try:
        ack = await presenter.call("presenter:join", {"room": "plenary"}, timeout=10)
        assert ack["ok"], ack
        assert ack["data"]["poll"]["id"] == poll["id"]
        assert ack["data"]["results"]["average"] is None
        for event, payload in [
            ("room:join", {"room": "plenary"}),
            ("chat:send", {"room": "plenary", "body": "hi", "client_id": "abcdefgh"}),
            ("poll:vote", {**ref(poll), "rating": 3}),
            ("poll:close", ref(poll)),
        ]:
            refused(await presenter.call(event, payload, timeout=10), "auth.forbidden", event)
        voter = await participant(live, connect)
        await voter.ok("poll:vote", {**ref(poll), "rating": 4})
        await mod.ok("poll:close", ref(poll))
        final = await voter.wait_for(
            "poll:results", lambda d: d["poll_id"] == poll["id"] and d["final"]
        )
        assert final["average"] == 4.0
        for _ in range(50):  # the presenter may sit on the other process
            if any(d["poll_id"] == poll["id"] and d["final"] for d in received):
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError(f"the presenter got no final results: {received}")
    finally:
        await presenter.disconnect()

    wrong = socketio.AsyncClient(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await wrong.connect(live.url, auth={"presenter": "wrong"}, transports=["websocket"])
