"""Join links by e-mail through a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from email.message import EmailMessage, Message

import httpx

from tests.fixtures.live_server import LiveServer
from tests.fixtures.redis_server import free_port
from tests.registration.conftest import LINK, Mailbox, form
from tests.registration.helpers import people_with


async def mails_to(box: Mailbox, address: str, count: int) -> list[Message]:
    for _ in range(100):
        messages = box.to(address)
        if len(messages) >= count:
            return messages
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {count} message(s) to {address}, got {len(box.to(address))}")


def body(message: Message) -> str:
    assert isinstance(message, EmailMessage)
    assert message.get_content_type() == "text/plain"
    text: str = message.get_content()
    return text


async def test_the_link_is_mailed_and_a_repeat_registration_only_mails_a_new_one(
    smtp_server: LiveServer, mailbox: tuple[Mailbox, int]
) -> None:
    box, _ = mailbox
    email = f"mail-{uuid.uuid4().hex[:8]}@example.org"
    async with httpx.AsyncClient(base_url=smtp_server.url, timeout=20) as client:
        page = await client.post("/register", data=form(email=email, name="Jürgen Weiß"))
        assert page.status_code == 200
        assert "Wir haben den Link außerdem an Ihre E-Mail-Adresse gesendet." in page.text
        (shown,) = set(LINK.findall(page.text))

        (message,) = await mails_to(box, email, 1)
        assert message["To"] == email
        assert "anmeldung@industrieinitiativen.example" in message["From"]
        assert message["Subject"] == (
            "Ihr Zugangslink / Your join link: Zusammenwachsen – für Stabilität und Zukunft!"
        )
        text = body(message)
        assert "Guten Tag Jürgen Weiß" in text
        assert "Your personal join link" in text
        assert LINK.findall(text) == [shown, shown]

        again = await client.post("/register", data=form(email=email, name="Mallory"))
        assert again.status_code == 200
        assert "Wir haben einen neuen persönlichen Zugangslink an sie gesendet." in again.text
        assert "/join/" not in again.text
        _, second = await mails_to(box, email, 2)
        (new_link,) = set(LINK.findall(body(second)))
        assert new_link != shown
        assert "Guten Tag Jürgen Weiß" in body(second)  # the registered name, not the typed one

    assert len(await people_with(smtp_server, email)) == 1
    async with httpx.AsyncClient(timeout=10) as client:
        for link in (shown, new_link):  # the older link stays valid
            joined = await client.get(link)
            assert joined.status_code == 303
            assert joined.headers["location"] == "/plenary"


async def test_a_failing_mail_server_does_not_lose_the_registration(
    event_server: Callable[..., LiveServer],
) -> None:
    server = event_server(
        'open = true\nprivacy_notice = "Hinweis."',
        CONFERENCE_SMTP_HOST="127.0.0.1",
        CONFERENCE_SMTP_PORT=str(free_port()),  # nothing listens there
    )
    email = "ohne-post@example.org"
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        page = await client.post("/register", data=form(email=email))
    assert page.status_code == 200
    assert "Wir konnten den Link gerade nicht per E-Mail senden." in page.text
    assert len(set(LINK.findall(page.text))) == 1
    assert len(await people_with(server, email)) == 1
    assert "sending the join link to a registered person failed" in server.log_text()
