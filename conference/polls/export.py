"""CSV and JSON of a poll's results (and of each answer where the poll is not anonymous)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.responses import Response

from conference.export import spreadsheet

# the export is for the organisers, whose files carry English column names
DELETED_PERSON = "(deleted person)"


def csv_response(rows: Iterable[Iterable[Any]], filename: str) -> Response:
    return spreadsheet.csv_response(rows, filename, delimiter=",")


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


def result_rows(
    poll: dict[str, Any], results: dict[str, Any], answers: list[dict[str, Any]] | None
) -> list[list[Any]]:
    rows: list[list[Any]] = [
        ["poll", poll["question"]],
        ["kind", poll["kind"]],
        ["status", poll["status"]],
        ["voters", results["voters"]],
        [],
    ]
    kind = poll["kind"]
    if kind in ("single", "multiple"):
        rows.append(["option", "label", "count", "percent"])
        rows += [[o["id"], o["label"], o["count"], o["percent"]] for o in results["options"]]
    elif kind == "rating":
        rows.append(["value", "label", "count", "percent"])
        rows += [[s["value"], s["label"], s["count"], s["percent"]] for s in results["scale"]]
        rows.append(["average", results["average"]])
    elif kind == "wordcloud":
        rows.append(["word", "count"])
        rows += [[w["word"], w["count"]] for w in results["words"]]
    else:
        rows.append(["answer", "shown"])
        rows += [[a["text"], a["shown"]] for a in results["answers"]]
    if answers is not None:
        rows += [[], ["name", "organisation", "answer", "created_at", "updated_at"]]
        rows += [
            [
                DELETED_PERSON if a.get("deleted") else a["name"],
                a["organisation"],
                answer_text(poll, a["answer"]),
                a["created_at"],
                a["updated_at"],
            ]
            for a in answers
        ]
    return rows
