"""Sending a person's join link by e-mail (aiosmtplib), when SMTP is configured."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

import aiosmtplib

from conference.events.model import Event
from conference.settings import Settings

log = logging.getLogger(__name__)
SEND_TIMEOUT_SECONDS = 15


def mail_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def join_link_message(
    settings: Settings, event: Event, to: str, name: str, link: str
) -> EmailMessage:
    """One plain-text message in German, then English: the recipient's locale is not known
    when an organiser imports people, so both languages go out together."""
    when_de = f"{event.date:%d.%m.%Y}, {event.start:%H:%M}–{event.end:%H:%M} ({event.timezone})"
    when_en = f"{event.date:%Y-%m-%d}, {event.start:%H:%M}–{event.end:%H:%M} ({event.timezone})"
    body = f"""Guten Tag {name},

Sie sind angemeldet für: {event.title}
Termin: {when_de}

Ihr persönlicher Zugangslink:
{link}

Bitte geben Sie diesen Link nicht weiter: Er meldet Sie mit Ihrem Namen an.

{event.organiser}

----

Hello {name},

you are registered for: {event.title}
Date: {when_en}

Your personal join link:
{link}

Please do not share this link: it signs you in under your name.
"""
    message = EmailMessage()
    message["Subject"] = f"Ihr Zugangslink / Your join link: {event.title}"
    message["From"] = formataddr((event.organiser, settings.smtp_from))
    message["To"] = to
    message["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or None)
    message.set_content(body)
    return message


async def send_join_link(settings: Settings, event: Event, to: str, name: str, link: str) -> bool:
    """Send the link; failures are logged and reported as False, never raised."""
    if not settings.smtp_host:
        return False
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    try:
        await aiosmtplib.send(
            join_link_message(settings, event, to, name, link),
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=password,
            start_tls=settings.smtp_starttls,
            timeout=SEND_TIMEOUT_SECONDS,
        )
    except Exception:
        # the registration is committed already; the page shows the link, so log and carry on
        log.exception("sending the join link to a registered person failed")
        return False
    return True
