"""The registration rules without a server: the window, folding of .ics lines, CSV parsing."""

from __future__ import annotations

import datetime as dt

import pytest

from conference.events.loader import load_event
from conference.events.model import Event
from conference.registration import csv_io
from conference.registration.ics import escape, fold
from conference.registration.service import Window, validate_form, window
from tests.fixtures.live_server import EVENT_FILE

BERLIN = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture(scope="module")
def event() -> Event:
    return load_event(EVENT_FILE)


def with_registration(event: Event, **changes: object) -> Event:
    return event.model_copy(update={"registration": event.registration.model_copy(update=changes)})


def test_the_window_in_the_events_time_zone(event: Event) -> None:
    limited = with_registration(
        event,
        opens_at=dt.datetime(2027, 1, 10, 9, 0),  # no offset: Berlin time
        closes_at=dt.datetime(2027, 3, 15, 18, 0),
        capacity=2,
    )
    assert window(limited, dt.datetime(2027, 1, 10, 8, 59, tzinfo=BERLIN), 0) is Window.NOT_YET
    assert window(limited, dt.datetime(2027, 1, 10, 7, 59, tzinfo=dt.UTC), 0) is Window.NOT_YET
    assert window(limited, dt.datetime(2027, 1, 10, 8, 0, tzinfo=dt.UTC), 0) is Window.OPEN
    assert window(limited, dt.datetime(2027, 2, 1, tzinfo=dt.UTC), 1) is Window.OPEN
    assert window(limited, dt.datetime(2027, 2, 1, tzinfo=dt.UTC), 2) is Window.FULL
    assert window(limited, dt.datetime(2027, 3, 15, 17, 0, tzinfo=dt.UTC), 0) is Window.CLOSED
    closed = with_registration(event, open=False)
    assert window(closed, dt.datetime(2027, 2, 1, tzinfo=dt.UTC), 0) is Window.CLOSED


def test_form_values_are_cleaned_and_workshop_titles_accepted(event: Event) -> None:
    applicant, errors = validate_form(
        event,
        {
            "name": "  Anna \n Schneider ",
            "email": " Anna@Example.ORG ",
            "workshop_first": "Digitalisierung im Mittelstand",
            "consent": "yes",
        },
    )
    assert not errors
    assert applicant is not None
    assert (applicant.name, applicant.email) == ("Anna Schneider", "anna@example.org")
    assert (applicant.workshop_first, applicant.workshop_second) == ("digitalisierung", None)
    optional = with_registration(event, email_required=False)
    applicant, errors = validate_form(optional, {"name": "Ohne", "consent": "yes"})
    assert not errors
    assert applicant is not None
    assert applicant.email is None


def test_ics_lines_fold_at_75_octets_without_splitting_characters() -> None:
    line = "DESCRIPTION:" + escape("Grüße, Stabilität; Zukunft\n" * 6)
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 2
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(p.removeprefix(" ") if i else p for i, p in enumerate(pieces)) == line
    assert escape("a,b;c\\d\r\ne") == "a\\,b\\;c\\\\d\\ne"


def test_csv_delimiter_bom_and_line_numbers(event: Event) -> None:
    data = (
        '\ufeffname;email\r\n\r\nA;a@example.org\r\n"B\r\nzwei Zeilen";kaputt\r\n;c@example.org\r\n'
    )
    parsed = csv_io.parse(data.encode(), event)
    assert parsed.delimiter == ";"
    assert [row.name for row in parsed.rows] == ["A"]
    # a quoted cell over two lines: its row starts on line 4, the next one on line 6
    assert [(e.line, e.params.get("column")) for e in parsed.errors] == [(4, "email"), (6, "name")]
    fixed = csv_io.parse(data.replace("kaputt", "b@example.org").encode(), event)
    assert [row.name for row in fixed.rows] == ["A", "B zwei Zeilen"]


def test_csv_output_neutralises_formulas() -> None:
    assert csv_io.safe_cell("=1+1") == "'=1+1"
    assert csv_io.safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_io.safe_cell("Anna") == "Anna"
