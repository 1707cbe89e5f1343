"""Capacity and the registration window from the event file, each on a server of its own."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.fixtures.live_server import LiveServer
from tests.registration.conftest import form
from tests.registration.helpers import count_people


async def test_a_full_event_says_so_and_registers_nobody_more(
    event_server: Callable[..., LiveServer],
) -> None:
    server = event_server(
        'open = true\ncapacity = 2\nemail_required = false\nprivacy_notice = "Hinweis."'
    )
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        page = (await client.get("/register")).text
        assert "freiwillig" in page  # the e-mail address is optional in this event
        assert 'href="/register"' in (await client.get("/")).text
        first = await client.post("/register", data=form(email="voll-1@example.org"))
        assert first.status_code == 200
        assert "/join/" in first.text
        # without an e-mail address (optional here)
        second = await client.post("/register", data=form(email="", name="Ohne Adresse"))
        assert second.status_code == 200
        assert "/join/" in second.text

        third = await client.post("/register", data=form(email="voll-3@example.org"))
        assert third.status_code == 409
        assert "Die Veranstaltung ist ausgebucht" in third.text
        assert "<form" not in third.text
        page = await client.get("/register")
        assert page.status_code == 200
        assert "Die Veranstaltung ist ausgebucht" in page.text
        assert "<form" not in page.text
        # the front page no longer offers registration
        front = await client.get("/")
        assert 'href="/register"' not in front.text
        assert "Die Veranstaltung ist ausgebucht." in front.text
        english = await client.get("/?lang=en")
        assert "The event is fully booked." in english.text
        client.cookies.clear()  # German again
        # someone already registered still gets the repeat answer, not the capacity message
        repeat = await client.post("/register", data=form(email="voll-1@example.org"))
        assert "Sie sind bereits angemeldet" in repeat.text
    assert await count_people(server.database_url) == 2


@pytest.mark.parametrize(
    ("registration", "heading"),
    [
        ("open = false", "Die Anmeldung ist geschlossen"),
        ("open = true\ncloses_at = 2020-01-31T18:00:00", "Die Anmeldung ist geschlossen"),
        ("open = true\nopens_at = 2099-01-01T09:00:00", "Die Anmeldung ist noch nicht geöffnet"),
    ],
    ids=["closed", "window-over", "not-yet-open"],
)
async def test_outside_the_window_the_form_is_not_shown_and_posts_are_refused(
    event_server: Callable[..., LiveServer], registration: str, heading: str
) -> None:
    server = event_server(registration)
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        page = await client.get("/register")
        assert page.status_code == 200
        assert heading in page.text
        assert "<form" not in page.text
        posted = await client.post("/register", data=form(email="zu-spaet@example.org"))
        assert posted.status_code == 409
        assert heading in posted.text
    assert await count_people(server.database_url) == 0
    if "opens_at" in registration:
        assert "Die Anmeldung öffnet am Donnerstag, 1. Januar 2099 um 09:00 Uhr." in page.text


async def test_a_flood_of_registrations_from_one_address_is_refused(
    event_server: Callable[..., LiveServer],
) -> None:
    server = event_server(
        'open = true\ncapacity = 200\nprivacy_notice = "Hinweis."',
        CONFERENCE_REGISTRATION_RATE_PER_MINUTE="5",
    )
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        answers = [
            await client.post("/register", data=form(email=f"flut-{i}@example.org"))
            for i in range(8)
        ]
    assert [a.status_code for a in answers[:5]] == [200] * 5
    assert {a.status_code for a in answers[5:]} == {429}
    assert "Zu viele Anfragen" in answers[-1].text
    assert await count_people(server.database_url) == 5
