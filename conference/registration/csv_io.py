"""Participants as CSV: importing people registered elsewhere, exporting their join links.

Imports are all or nothing: every row is checked first, and one invalid row means nothing is
written, so an organiser fixes the file and imports it again without half-imported leftovers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import Person, create_person, find_by_email, issue_token
from conference.auth.roles import Role
from conference.events.model import Event
from conference.export.spreadsheet import safe_cell, sniff_delimiter
from conference.realtime.errors import N_
from conference.registration.service import check_person, check_workshops, clean
from conference.storage.db import Database
from conference.storage.tables import people

COLUMNS = ("name", "organisation", "email", "workshop_first", "workshop_second")
IGNORED_COLUMNS = ("join_link",)  # our own export can be imported again
OUTPUT_COLUMNS = ("name", "organisation", "email", "workshop_first", "workshop_second", "join_link")
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
TOO_LARGE = N_("The file is too large (at most 2 MB).")
NO_FILE = N_("Please choose a CSV file to upload.")


@dataclass(frozen=True, slots=True)
class RowError:
    """A problem on one line of the file (line 1 is the header); message is an English msgid."""

    line: int
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, gettext: Callable[[str], str] = lambda m: m) -> str:
        # a "problem" parameter is itself a message id (a field rule's message)
        params = {k: gettext(v) if k == "problem" else v for k, v in self.params.items()}
        return gettext(self.message) % params


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    name: str
    organisation: str
    email: str | None
    workshop_first: str | None
    workshop_second: str | None


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    delimiter: str = ","


def parse(data: bytes, event: Event) -> Parsed:
    """Decode (UTF-8, with or without BOM), find the delimiter, and check every row."""
    if len(data) > MAX_BYTES:
        return Parsed(errors=[RowError(0, TOO_LARGE)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Parsed(
            errors=[RowError(line, N_("The file is not UTF-8 encoded. Save it as “CSV UTF-8”."))]
        )
    header_line = text.split("\n", 1)[0]
    if not header_line.strip():
        return Parsed(errors=[RowError(1, N_("The file is empty or has no header row."))])
    parsed = Parsed(delimiter=sniff_delimiter(header_line))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=parsed.delimiter)
    header = [clean(h).lower() for h in next(reader)]
    unknown = [h for h in header if h not in COLUMNS and h not in IGNORED_COLUMNS]
    if unknown or "name" not in header or len(set(header)) != len(header):
        parsed.errors.append(
            RowError(
                1,
                N_("The header row must name the columns %(columns)s (found: %(found)s)."),
                {"columns": ", ".join(COLUMNS), "found": ", ".join(header)},
            )
        )
        return parsed
    seen: dict[str, int] = {}
    line = reader.line_num
    for record in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(parsed.rows) + len(parsed.errors) >= MAX_ROWS:
            parsed.errors.append(
                RowError(start, N_("Too many rows (at most %(n)s)."), {"n": MAX_ROWS})
            )
            break
        if len(record) > len(header):
            parsed.errors.append(
                RowError(start, N_("This row has more cells than the header row."))
            )
            continue
        values = dict(zip(header, (clean(cell) for cell in record), strict=False))
        row = _check_row(event, start, values, parsed.errors, seen)
        if row is not None:
            parsed.rows.append(row)
    return parsed


def _check_row(
    event: Event, line: int, values: dict[str, str], errors: list[RowError], seen: dict[str, int]
) -> Row | None:
    problems: dict[str, str] = {}
    email = check_person(
        values.get("name", ""),
        values.get("organisation", ""),
        values.get("email", ""),
        problems,
        email_required=False,
    )
    first, second = check_workshops(
        event, values.get("workshop_first", ""), values.get("workshop_second", ""), problems
    )
    for column, message in problems.items():
        errors.append(
            RowError(
                line, N_("column %(column)s: %(problem)s"), {"column": column, "problem": message}
            )
        )
    if email is not None and email in seen:
        errors.append(
            RowError(
                line,
                N_("The e-mail address %(email)s is already on line %(other)s."),
                {"email": email, "other": seen[email]},
            )
        )
        return None
    if problems:
        return None
    if email is not None:
        seen[email] = line
    return Row(line, values["name"], values.get("organisation", ""), email, first, second)


@dataclass(frozen=True, slots=True)
class Imported:
    person: Person
    token: str
    created: bool


async def _existing(conn: AsyncConnection, event: Event, row: Row) -> Person | None:
    """The person a row means: by e-mail, or (without one) by name and organisation."""
    if row.email is not None:
        return await find_by_email(conn, event.id, row.email)
    query = people.select().where(
        people.c.event_id == event.id,
        people.c.email.is_(None),
        people.c.name == row.name,
        people.c.organisation == row.organisation,
    )
    found = (await conn.execute(query)).first()
    return Person.from_row(found) if found else None


async def import_rows(
    conn: AsyncConnection, event: Event, rows: Iterable[Row]
) -> tuple[list[Imported], list[RowError]]:
    """Create or update each row's person and issue a fresh link; the caller rolls back on errors.

    Existing people keep their role; their name, organisation and (given) workshop
    preferences are updated. Removed people are not brought back.
    """
    imported: list[Imported] = []
    errors: list[RowError] = []
    for row in rows:
        person = await _existing(conn, event, row)
        if person is not None and person.removed:
            errors.append(
                RowError(row.line, N_("This person was removed from the event; delete the row."))
            )
            continue
        if person is None:
            person = await create_person(
                conn,
                event_id=event.id,
                name=row.name,
                organisation=row.organisation,
                email=row.email,
                role=Role.PARTICIPANT,
                workshop_first=row.workshop_first,
                workshop_second=row.workshop_second,
                source="import",
            )
            created = True
        else:
            changes: dict[str, str] = {"name": row.name, "organisation": row.organisation}
            if row.workshop_first:
                changes["workshop_first"] = row.workshop_first
                changes["workshop_second"] = row.workshop_second or ""
            await conn.execute(people.update().where(people.c.id == person.id).values(**changes))
            person = replace(person, name=row.name, organisation=row.organisation)
            created = False
        imported.append(Imported(person, await issue_token(conn, person.id), created))
    return imported, errors


class ImportFailed(Exception):
    """The file has errors; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Report:
    imported: list[Imported]
    delimiter: str

    @property
    def created(self) -> int:
        return sum(1 for entry in self.imported if entry.created)


async def import_csv(db: Database, event: Event, data: bytes) -> Report:
    """Parse, check and import a file in one transaction, or raise ImportFailed with every error."""
    parsed = parse(data, event)
    if parsed.errors:
        raise ImportFailed(parsed.errors)
    if not parsed.rows:
        raise ImportFailed([RowError(2, N_("The file has no participants below the header row."))])
    async with db.write() as conn:
        imported, errors = await import_rows(conn, event, parsed.rows)
        if errors:
            raise ImportFailed(errors)  # leaving the block by an exception rolls back
    return Report(imported, parsed.delimiter)


def links_csv(
    entries: Iterable[tuple[Person, str]], join_url: Callable[[str], str], delimiter: str = ","
) -> str:
    """name, organisation, email, the workshop preferences, join_link for each (person, token)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(OUTPUT_COLUMNS)
    for person, token in entries:
        writer.writerow(
            [
                safe_cell(person.name),
                safe_cell(person.organisation),
                person.email or "",
                person.workshop_first or "",
                person.workshop_second or "",
                join_url(token),
            ]
        )
    return out.getvalue()
