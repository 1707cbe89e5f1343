"""HTTP: the export of every question with its votes and status, for moderators."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from conference.polls.export import csv_response
from conference.qa import store
from conference.services import Services
from conference.web.identity import moderator_or_refusal
from conference.web.templating import Pages


def qa_routes(services: Services, pages: Pages) -> list[BaseRoute]:
    async def export(request: Request) -> Response:
        person = await moderator_or_refusal(services, pages, request)
        if isinstance(person, Response):
            return person
        async with services.db.read() as conn:
            questions = await store.export(conn, services.event.id)
        rows: list[list[object]] = [
            [
                "room",
                "status",
                "votes",
                "pinned",
                "question",
                "name",
                "organisation",
                "asked_at",
                "edited_at",
            ]
        ]
        for q in questions:
            author = q["author"] or {"name": "", "organisation": ""}
            rows.append(
                [
                    q["room"],
                    q["status"],
                    q["votes"],
                    q["pinned"],
                    q["body"],
                    author["name"],
                    author["organisation"],
                    q["created_at"],
                    q["edited_at"],
                ]
            )
        return csv_response(rows, "questions.csv")

    return [Route("/moderator/questions.csv", export, name="questions_export")]
