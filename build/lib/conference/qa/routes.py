"""HTTP: the export of every question with its votes and status, for moderators."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from conference.export.http import spreadsheet
from conference.qa.export import questions
from conference.services import Services
from conference.web.identity import moderator_or_refusal
from conference.web.templating import Pages


def qa_routes(services: Services, pages: Pages) -> list[BaseRoute]:
    async def export(request: Request) -> Response:
        person = await moderator_or_refusal(services, pages, request)
        if isinstance(person, Response):
            return person
        return await spreadsheet(services, await questions(services), "csv", "questions")

    return [Route("/moderator/questions.csv", export, name="questions_export")]
