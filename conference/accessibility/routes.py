"""HTTP: the accessibility statement with its feedback form, and the start-page
explanations in Leichte Sprache (plain language) and German Sign Language (BITV 2.0 § 4)."""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from conference.events.model import Event
from conference.ratelimit import KeyedLimiter
from conference.registration import mail
from conference.registration.routes import NO_STORE
from conference.services import Services
from conference.settings import Settings
from conference.web.origin import same_origin
from conference.web.templating import Pages, request_locale

MAX_MESSAGE = 4000
FEEDBACK_PER_MINUTE = 5
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FIELDS = ("message", "where", "name", "email")


def feedback_address(event: Event) -> str:
    """Where reports of barriers go."""
    return event.accessibility.contact_email or event.contact_email


def known_issues(event: Event) -> list[str]:
    """The parts that are not (yet) accessible, as far as the software can tell, as message
    ids; the organiser's own list follows them on the page."""
    issues = []
    if event.stream.kind == "hls" and not event.stream.captions:
        issues.append("captions")
    if event.stream.kind in ("youtube", "vimeo"):
        issues.append("external_player")
    if not event.accessibility.sign_language_video:
        issues.append("no_sign_language")
    return issues


def feedback_message(
    settings: Settings, event: Event, values: dict[str, str], locale: str
) -> EmailMessage:
    """The report as a plain-text e-mail to the organisers; it is not stored on the server."""
    body = "\n".join(
        [
            f"Rückmeldung zur Barrierefreiheit / Accessibility feedback: {event.title}",
            "",
            f"Wo / Where: {values['where'] or '-'}",
            f"Name: {values['name'] or '-'}",
            f"E-Mail: {values['email'] or '-'}",
            f"Sprache / Language: {locale}",
            "",
            values["message"],
        ]
    )
    message = EmailMessage()
    message["Subject"] = f"Barrierefreiheit / Accessibility: {event.title}"
    message["From"] = formataddr((event.organiser, settings.smtp_from))
    message["To"] = feedback_address(event)
    if values["email"]:
        message["Reply-To"] = values["email"]
    message["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or None)
    message.set_content(body)
    return message


def accessibility_routes(services: Services, pages: Pages) -> list[BaseRoute]:
    event = services.event
    settings = services.settings
    limiter = KeyedLimiter(rate=FEEDBACK_PER_MINUTE / 60, burst=FEEDBACK_PER_MINUTE)

    def statement_page(
        request: Request,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response:
        return pages.render(
            request,
            "accessibility/statement.html",
            status_code=status_code,
            event=event,
            issues=known_issues(event),
            contact=feedback_address(event),
            form=mail.mail_configured(settings) and bool(feedback_address(event)),
            values=values or {},
            errors=errors or {},
        )

    async def statement(request: Request) -> Response:
        return statement_page(request)

    async def feedback(request: Request) -> Response:
        if not same_origin(request, services):
            return pages.render(request, "registration/origin.html", status_code=403, event=event)
        if not mail.mail_configured(settings) or not feedback_address(event):
            return statement_page(request, status_code=404)
        if not limiter.allow(request.client.host if request.client else "unknown"):
            return pages.render(
                request, "message.html", kind="too_many", status_code=429, event=event
            )
        async with request.form(max_files=0, max_fields=10, max_part_size=MAX_MESSAGE * 4) as form:
            values = {key: str(form.get(key) or "").strip() for key in FIELDS}
        errors: dict[str, str] = {}
        if not values["message"]:
            errors["message"] = "empty"
        elif len(values["message"]) > MAX_MESSAGE:
            errors["message"] = "too_long"
        if values["email"] and (len(values["email"]) > 254 or not EMAIL.match(values["email"])):
            errors["email"] = "invalid"
        values["where"], values["name"] = values["where"][:500], values["name"][:120]
        if errors:
            return statement_page(request, values, errors, status_code=400)
        locale = request_locale(request)
        sent = await mail.send(
            settings, feedback_message(settings, event, values, locale), "accessibility feedback"
        )
        response = pages.render(
            request,
            "accessibility/feedback_sent.html",
            status_code=200 if sent else 502,
            event=event,
            sent=sent,
            contact=feedback_address(event),
        )
        response.headers.update(NO_STORE)
        return response

    async def easy_language(request: Request) -> Response:
        return pages.render(request, "accessibility/easy_language.html", event=event)

    async def sign_language(request: Request) -> Response:
        return pages.render(request, "accessibility/sign_language.html", event=event)

    return [
        Route("/accessibility", statement, name="accessibility"),
        Route("/accessibility/feedback", feedback, name="accessibility_feedback", methods=["POST"]),
        Route("/leichte-sprache", easy_language, name="easy_language"),
        Route("/gebaerdensprache", sign_language, name="sign_language"),
    ]
