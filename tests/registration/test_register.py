"""The registration form over HTTP: validation, repeat registrations, the Origin check, .ics."""

from __future__ import annotations

import re
import uuid

import httpx

from tests.fixtures.live_server import LiveServer
from tests.registration.conftest import LINK, form
from tests.registration.helpers import people_with


def unique_email() -> str:
    return f"person-{uuid.uuid4().hex[:10]}@example.org"


async def post(server: LiveServer, data: dict[str, str], **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        return await client.post("/register", data=data, headers=headers)


async def test_the_form_is_german_with_labels_and_the_privacy_notice(
    reg_server: LiveServer,
) -> None:
    async with httpx.AsyncClient(base_url=reg_server.url) as client:
        response = await client.get("/register")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="de">' in html
    assert "<h1" in html
    assert "Anmeldung" in html
    for field, autocomplete in (
        ("name", "name"),
        ("organisation", "organization"),
        ("email", "email"),
    ):
        assert f'<label for="{field}">' in html
        assert f'autocomplete="{autocomplete}"' in html
    assert "Wir verwenden Ihren Namen, Ihre Organisation" in html
    assert 'aria-describedby="privacy-notice"' in html
    assert html.count('<option value="vernetzung"') == 2
    async with httpx.AsyncClient(base_url=reg_server.url) as client:
        english = (await client.get("/register?lang=en")).text
    assert "I agree to the privacy notice." in english


async def test_invalid_input_gives_form_errors_tied_to_their_fields(reg_server: LiveServer) -> None:
    data = form(
        name="",
        email="not-an-address",
        organisation="<script>alert(1)</script>",
        workshop_first="vernetzung",
        workshop_second="vernetzung",
    )
    del data["consent"]
    response = await post(reg_server, data)
    assert response.status_code == 400
    html = response.text
    assert "Traceback" not in html
    assert "Bitte prüfen Sie Ihre Angaben" in html
    assert 'id="name-error"' in html
    assert "Bitte geben Sie Ihren Namen ein." in html
    assert 'aria-describedby="name-error" aria-invalid="true"' in html
    assert 'aria-describedby="email-hint email-error"' in html
    assert "Ihr Zweitwunsch muss sich von Ihrem Erstwunsch unterscheiden." in html
    assert 'aria-describedby="privacy-notice consent-error"' in html
    # what was typed stays in the form, escaped
    assert 'value="not-an-address"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert await people_with(reg_server, "not-an-address") == []


async def test_unknown_workshops_and_a_second_without_a_first_are_refused(
    reg_server: LiveServer,
) -> None:
    response = await post(reg_server, form(email=unique_email(), workshop_first="nonexistent"))
    assert response.status_code == 400
    assert "Bitte wählen Sie einen der aufgeführten Workshops." in response.text
    response = await post(
        reg_server, form(email=unique_email(), workshop_first="", workshop_second="akzeptanz")
    )
    assert response.status_code == 400
    assert "zuerst einen Erstwunsch" in response.text


async def test_consent_is_required(reg_server: LiveServer) -> None:
    email = unique_email()
    data = form(email=email)
    del data["consent"]
    response = await post(reg_server, data)
    assert response.status_code == 400
    assert "Bitte stimmen Sie der Datenschutzerklärung zu" in response.text
    assert await people_with(reg_server, email) == []


async def test_registering_shows_a_personal_link_that_leads_to_the_plenary(
    reg_server: LiveServer,
) -> None:
    email = unique_email()
    response = await post(reg_server, form(email=email))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    links = set(LINK.findall(response.text))
    assert len(links) == 1
    link = links.pop()
    assert link.startswith(reg_server.url + "/join/")
    assert "Dieser Link ist persönlich." in response.text
    assert 'action="/register/event.ics"' in response.text
    assert "Vielen Dank für Ihre Anmeldung zu „" in response.text
    # the calendar entry posted from this page carries the personal join link
    token = link.rsplit("/", 1)[1]
    origin = {"origin": reg_server.url}
    async with httpx.AsyncClient(base_url=reg_server.url, timeout=10) as client:
        own = await client.post("/register/event.ics", data={"token": token}, headers=origin)
        forged = await client.post("/register/event.ics", data={"token": "x" * 40}, headers=origin)
        foreign = await client.post(
            "/register/event.ics", data={"token": token}, headers={"origin": "https://evil.example"}
        )
    assert own.status_code == 200
    assert own.headers["content-type"] == "text/calendar; charset=utf-8"
    unfolded = own.text.replace("\r\n ", "")
    assert f"LOCATION:{link}" in unfolded
    assert f"URL:{link}" in unfolded
    assert forged.status_code == 404
    assert foreign.status_code == 403
    (person,) = await people_with(reg_server, email)
    assert (person.name, person.organisation, person.role) == (
        "Erika Mustermann",
        "Musterwerke GmbH",
        "participant",
    )
    assert (person.workshop_first, person.workshop_second) == ("vernetzung", "fachkraefte")
    async with httpx.AsyncClient(timeout=10) as client:
        joined = await client.get(link)
        assert joined.status_code == 303
        assert joined.headers["location"] == "/plenary"
        assert (await client.get(reg_server.url + "/plenary")).status_code == 200


async def test_registering_again_with_the_same_email_creates_nobody_and_shows_no_link(
    reg_server: LiveServer,
) -> None:
    email = unique_email()
    assert (await post(reg_server, form(email=email))).status_code == 200
    again = await post(reg_server, form(email=email.upper(), name="Someone Else"))
    assert again.status_code == 200
    assert "Sie sind bereits angemeldet" in again.text
    assert "wenden Sie sich bitte an das Organisationsteam" in again.text
    assert "/join/" not in again.text
    assert "Erika" not in again.text
    assert "Musterwerke" not in again.text
    (person,) = await people_with(reg_server, email)
    assert person.name == "Erika Mustermann"


async def test_a_post_from_another_origin_is_refused(reg_server: LiveServer) -> None:
    email = unique_email()
    refused = await post(reg_server, form(email=email), origin="https://evil.example")
    assert refused.status_code == 403
    assert "Anfrage abgelehnt" in refused.text
    assert await people_with(reg_server, email) == []
    refused = await post(reg_server, form(email=email), origin="null")
    assert refused.status_code == 403
    refused = await post(reg_server, form(email=email), **{"sec-fetch-site": "cross-site"})
    assert refused.status_code == 403
    assert await people_with(reg_server, email) == []
    # what Chromium sends for our own form under `Referrer-Policy: no-referrer`
    accepted = await post(
        reg_server, form(email=email), origin="null", **{"sec-fetch-site": "same-origin"}
    )
    assert accepted.status_code == 200
    email = unique_email()
    accepted = await post(reg_server, form(email=email), origin=reg_server.url)
    assert accepted.status_code == 200
    assert len(await people_with(reg_server, email)) == 1


async def test_the_calendar_file(reg_server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=reg_server.url) as client:
        response = await client.get("/register/event.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert 'filename="kickoff.ics"' in response.headers["content-disposition"]
    raw = response.content
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    physical = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in physical)
    # unfold (RFC 5545 3.1) and read the properties
    text = raw.decode("utf-8").replace("\r\n ", "")
    lines = text.split("\r\n")[:-1]
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines[-1] == "END:VCALENDAR"
    assert "BEGIN:VEVENT" in lines
    assert "END:VEVENT" in lines
    props = dict(line.split(":", 1) for line in lines)
    assert "PRODID" in props
    assert props["UID"] == "kickoff@127.0.0.1"
    assert re.fullmatch(r"\d{8}T\d{6}Z", props["DTSTAMP"])
    # 10:00–15:00 in Berlin on 16 March 2027 (CET, UTC+1)
    assert props["DTSTART"] == "20270316T090000Z"
    assert props["DTEND"] == "20270316T140000Z"
    assert props["SUMMARY"] == "Zusammenwachsen – für Stabilität und Zukunft!"
    assert reg_server.url + "/" in props["DESCRIPTION"]
    assert "/join/" not in text
