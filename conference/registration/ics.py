"""The event as an iCalendar (RFC 5545) file.

Written with the standard library rather than the `icalendar` package: one VEVENT with UTC
times needs only escaping, folding and CRLF, which are a few lines here, and it keeps a
dependency (and its transitive ones) out of the server for a single fixed-shape file.
"""

from __future__ import annotations

import datetime as dt

from conference.events.model import Event

CRLF = "\r\n"
FOLD_OCTETS = 75


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and line breaks."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, never inside a UTF-8 character."""
    pieces: list[str] = []
    current, size, limit = "", 0, FOLD_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            # continuation lines start with a space, which counts towards their 75 octets
            current, size, limit = "", 0, FOLD_OCTETS - 1
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def event_calendar(
    event: Event, event_url: str, host: str, now: dt.datetime, join_link: str | None = None
) -> str:
    """A calendar with the event; its description points to the public event page, or, in
    the registered person's own copy, to their personal join link (where the event happens)."""
    place = join_link or event_url
    description = "\n\n".join(part for part in (event.subtitle, place) if part)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//conference//registration//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{escape(event.id)}@{escape(host)}",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(event.starts_at())}",
        f"DTEND:{_utc(event.ends_at())}",
        f"SUMMARY:{escape(event.title)}",
        f"DESCRIPTION:{escape(description)}",
        f"LOCATION:{escape(place)}",
        f"URL:{place}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + CRLF for line in lines)
