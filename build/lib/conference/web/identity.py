"""Who is asking, for HTTP pages: the session cookie checked against live join tokens."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from conference.auth.people import Person
from conference.auth.roles import is_moderator
from conference.auth.sessions import COOKIE_NAME
from conference.services import Services
from conference.web.templating import Pages


async def current_person(services: Services, request: Request) -> Person | None:
    session = services.sessions.loads(request.cookies.get(COOKIE_NAME))
    if session is None:
        return None
    person = await services.tokens.person(session.token_hash)
    if person is None or person.id != session.person_id:
        return None
    return person


async def moderator_or_refusal(
    services: Services, pages: Pages, request: Request
) -> Person | Response:
    """The moderator asking, or the page that refuses everyone else (401 / 403)."""
    person = await current_person(services, request)
    if person is None:
        return pages.render(
            request, "message.html", kind="join_required", status_code=401, event=services.event
        )
    if not is_moderator(person.role):
        return pages.render(
            request, "message.html", kind="forbidden", status_code=403, event=services.event
        )
    return person
