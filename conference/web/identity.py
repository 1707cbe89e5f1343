"""Who is asking, for HTTP pages: the session cookie checked against live join tokens."""

from __future__ import annotations

from starlette.requests import Request

from conference.auth.people import Person, person_for_token_hash
from conference.auth.sessions import COOKIE_NAME
from conference.services import Services


async def current_person(services: Services, request: Request) -> Person | None:
    session = services.sessions.loads(request.cookies.get(COOKIE_NAME))
    if session is None:
        return None
    async with services.db.read() as conn:
        person = await person_for_token_hash(conn, services.event.id, session.token_hash)
    if person is None or person.id != session.person_id:
        return None
    return person
