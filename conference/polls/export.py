"""A poll's results as tables (and each answer where the poll is not anonymous), for the
spreadsheet exports (conference/export/) and the event report."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.export.base import Cell, Table, TableExport
from conference.polls import service, store
from conference.realtime.errors import N_

if TYPE_CHECKING:
    from conference.services import Services

# the export is for the organisers, whose files carry English column names
DELETED_PERSON = "(deleted person)"


def when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def answer_text(poll: dict[str, Any], answer: dict[str, Any]) -> str:
    """One vote as readable text: option labels, words, the rating or the text."""
    labels = {o["id"]: o["label"] for o in poll["options"]}
    if "options" in answer:
        return "; ".join(labels.get(o, o) for o in answer["options"])
    if "words" in answer:
        return "; ".join(answer["words"])
    if "rating" in answer:
        return str(answer["rating"])
    return str(answer.get("text", ""))


async def results_of(conn: AsyncConnection, poll: dict[str, Any]) -> dict[str, Any]:
    """The full results as moderators see them; turnout is left out (who was present then is
    not known afterwards), so no server state is needed."""
    return await service.results(
        cast("Services", None), conn, poll, moderator=True, with_turnout=False
    )


def results_table(poll: dict[str, Any], results: dict[str, Any], title: str) -> Table:
    kind = poll["kind"]
    rows: list[list[Cell]]
    if kind in ("single", "multiple"):
        header = ["option", "label", "count", "percent"]
        rows = [[o["id"], o["label"], o["count"], o["percent"]] for o in results["options"]]
    elif kind == "rating":
        header = ["value", "label", "count", "percent"]
        rows = [[s["value"], s["label"], s["count"], s["percent"]] for s in results["scale"]]
        rows.append(["average", "", results["average"], None])
    elif kind == "wordcloud":
        header = ["word", "count"]
        rows = [[w["word"], w["count"]] for w in results["words"]]
    else:
        header = ["answer", "shown"]
        rows = [[a["text"], a["shown"]] for a in results["answers"]]
    return Table(title, header, rows)


def summary_row(poll: dict[str, Any], results: dict[str, Any]) -> list[Cell]:
    return [
        poll["key"] or poll["id"],
        poll["room"],
        poll["kind"],
        poll["question"],
        poll["status"],
        results["voters"],
        not poll["settings"].get("anonymous", True),
        when(poll["opened_at"]),
        when(poll["closed_at"]),
    ]


SUMMARY_HEADER = [
    "poll",
    "room",
    "kind",
    "question",
    "status",
    "voters",
    "named",
    "opened_at",
    "closed_at",
]
ANSWERS_HEADER = ["name", "organisation", "answer", "created_at", "updated_at"]


async def answers_table(conn: AsyncConnection, poll: dict[str, Any], title: str) -> Table | None:
    """Each answer with its author, only where the poll was not anonymous."""
    if poll["settings"].get("anonymous", True):
        return None
    answers = await store.individual_answers(conn, poll["id"])
    rows: list[list[Cell]] = [
        [
            DELETED_PERSON if a.get("deleted") else a["name"],
            a["organisation"],
            answer_text(poll, a["answer"]),
            when(a["created_at"]),
            when(a["updated_at"]),
        ]
        for a in answers
    ]
    return Table(title, ANSWERS_HEADER, rows)


async def poll_tables(conn: AsyncConnection, poll: dict[str, Any]) -> list[Table]:
    """One poll: its summary, its results, and its answers where not anonymous."""
    results = await results_of(conn, poll)
    tables = [
        Table("poll", SUMMARY_HEADER, [summary_row(poll, results)]),
        results_table(poll, results, "results"),
    ]
    answers = await answers_table(conn, poll, "answers")
    if answers is not None:
        tables.append(answers)
    return tables


async def all_polls(services: Services) -> list[Table]:
    """Every poll of the event: an overview, then results (and named answers) per poll."""
    async with services.db.read() as conn:
        polls = await store.of_event(conn, services.event.id)
        summary: list[list[Cell]] = []
        details: list[Table] = []
        for number, poll in enumerate(polls, 1):
            results = await results_of(conn, poll)
            summary.append(summary_row(poll, results))
            details.append(results_table(poll, results, f"{number} {poll['question']}"))
            answers = await answers_table(conn, poll, f"{number} answers")
            if answers is not None:
                details.append(answers)
    return [Table("polls", SUMMARY_HEADER, summary), *details]


EXPORT = TableExport("polls", N_("Results of every poll"), all_polls)
