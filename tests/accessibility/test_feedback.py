"""The accessibility statement's feedback route: a report of a barrier reaches the organisers
by e-mail (and is not stored); without a mail server the statement names the address."""

from __future__ import annotations

import asyncio
import uuid
from email.message import EmailMessage, Message
from pathlib import Path

import httpx

from conference.settings import Settings
from conference.storage.migrate import migrate
from tests.fixtures.inprocess import serve
from tests.fixtures.live_server import EVENT_FILE, LiveServer
from tests.fixtures.mail import Mailbox

CONTACT = "barrierefreiheit@industrieinitiativen.example"  # the demo's [accessibility]


async def received(box: Mailbox, subject_tag: str) -> list[Message]:
    for _ in range(100):
        found = [m for m in box.to(CONTACT) if subject_tag in str(m.get_body())]
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"no feedback e-mail with {subject_tag!r}")


async def test_feedback_is_mailed_to_the_organisers(
    tmp_path: Path, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'c.db'}",
        event_file=EVENT_FILE,
        var_dir=tmp_path / "var",
        secret_key="test-secret-key-test-secret-key",  # type: ignore[arg-type]
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_from="barrierefreiheit@industrieinitiativen.example",
    )
    await migrate(settings.database_url)
    tag = uuid.uuid4().hex[:8]
    async with serve(settings) as running, httpx.AsyncClient(base_url=running.url) as http:
        page = await http.get("/accessibility")
        assert 'action="/accessibility/feedback"' in page.text
        empty = await http.post("/accessibility/feedback", data={"message": "  "})
        assert empty.status_code == 400
        assert "Bitte beschreiben Sie die Barriere." in empty.text
        bad = await http.post(
            "/accessibility/feedback", data={"message": "x", "email": "keine-adresse"}
        )
        assert bad.status_code == 400
        assert 'aria-invalid="true"' in bad.text
        sent = await http.post(
            "/accessibility/feedback",
            data={
                "message": f"Der Kontrast der Umfrage ist zu schwach {tag}",
                "where": "Plenum, Umfragen",
                "name": "Berta Barriere",
                "email": "berta@example.org",
            },
        )
        assert sent.status_code == 200
        assert "Vielen Dank für Ihre Rückmeldung" in sent.text
        refused = await http.post(
            "/accessibility/feedback",
            data={"message": "von woanders"},
            headers={"sec-fetch-site": "cross-site"},
        )
        assert refused.status_code == 403
    (message,) = await received(box, tag)
    assert isinstance(message, EmailMessage)
    assert message["Reply-To"] == "berta@example.org"
    assert "barrierefreiheit@industrieinitiativen.example" in message["From"]
    text = message.get_content()
    assert "Plenum, Umfragen" in text
    assert "Berta Barriere" in text


async def test_without_a_mail_server_the_statement_names_the_address(
    memory_server: LiveServer,
) -> None:
    async with httpx.AsyncClient(base_url=memory_server.url) as http:
        page = await http.get("/accessibility")
        assert f'href="mailto:{CONTACT}"' in page.text
        assert "/accessibility/feedback" not in page.text
        assert (
            await http.post("/accessibility/feedback", data={"message": "x"})
        ).status_code == 404
