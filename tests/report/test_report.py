"""The event report of a short event run over sockets: built from the console (progress, then
the download) and by `conference report`, read back as PDF (text, tags) and DOCX (headings)."""

from __future__ import annotations

import io
import subprocess
import sys
from typing import Any

import docx
import pikepdf
from pypdf import PdfReader

from conference.web.i18n import I18n
from tests.fixtures.asserted import refused
from tests.fixtures.live_server import Client, LiveServer, logged_in
from tests.report.event import (
    CONSENTED,
    KEY_RESULTS,
    REMOVED,
    REMOVED_QUESTION,
    UNNAMED,
    ShortEvent,
)

SECTIONS = (
    "Agenda as it ran",
    "Attendance",
    "The mood in the room",
    "Polls",
    "Questions",
    "Workshops",
    "Method and data protection",
)


def de(text: str) -> str:
    return I18n().gettext("de", text)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def squashed(text: str) -> str:
    return " ".join(text.split())


def structure(data: bytes) -> tuple[bool, str, list[tuple[str, str | None]]]:
    """Whether the PDF is marked as tagged, its language, every structure element as
    (type, alternative text)."""
    pdf = pikepdf.open(io.BytesIO(data))
    found: list[tuple[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, pikepdf.Dictionary):
            kind = node.get("/S")
            if kind is not None:
                alt = node.get("/Alt")
                found.append((str(kind), None if alt is None else str(alt)))
            if "/K" in node:
                walk(node.K)
        elif isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)

    walk(pdf.Root.StructTreeRoot)
    return bool(pdf.Root.MarkInfo.Marked), str(pdf.Root.Lang), found


def cli_report(live: LiveServer, tmp_path: Any, *args: str) -> bytes:
    output = tmp_path / "report.out"
    subprocess.run(
        [sys.executable, "-m", "conference", "report", *args, "--output", str(output)],
        env=live.env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return output.read_bytes()


async def test_the_report_from_the_console_has_every_section_and_number_and_is_tagged(
    event_server: LiveServer, short_event: ShortEvent, connect: Any
) -> None:
    mod: Client = await connect(event_server.url, short_event.moderator_token)
    await mod.ok("room:join", {"room": "plenary"})
    started = await mod.ok("report:build", {"format": "pdf"})
    report = started["report"]
    assert report["status"] == "building"
    # one build at a time
    refused(await mod.call("report:build", {"format": "docx"}), "report.busy")
    # progress arrives step by step, then the document is ready
    await mod.wait_for(
        "report:progress",
        lambda d: d["report"]["id"] == report["id"] and d["stage"] == "charts",
        within=120,
    )
    ready = await mod.wait_for(
        "report:progress",
        lambda d: d["report"]["id"] == report["id"] and d["report"]["status"] != "building",
        within=180,
    )
    assert ready["report"]["status"] == "ready", ready
    listed = await mod.ok("report:list", {})
    assert listed["reports"][0]["id"] == report["id"]
    async with logged_in(event_server, short_event.moderator_token) as http:
        response = await http.get(ready["report"]["url"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    data = response.content

    text = squashed(pdf_text(data))
    for section in SECTIONS:
        assert de(section) in text, section
    for poll in short_event.polls:
        assert squashed(poll["question"]) in text, poll["question"]
    # every poll's numbers: the table beside each chart
    assert "Aus dem Büro 3 75 %" in text
    assert "Von zu Hause 1 25 %" in text
    assert "Fachkräfte 2 66,7 %" in text
    assert "1 klimaneutral 3" in text
    assert "4 2 50 %" in text  # the rating 4: two votes
    assert f"{de('Mean')} 3,75" in text
    assert "Mehr Zeit für Austausch" in text
    # the mood in the room: the reactions' totals, without names
    assert "Applaus 3" in text
    assert "Großartig 1" in text
    assert "Nachdenklich 1" in text
    # questions with their votes; the one never approved is not there
    assert "Wie werden kleine Betriebe beteiligt? Plenum 3" in text
    assert "Wann startet die Beratung?" not in text
    # the workshops' key results, most upvoted first
    assert "1 Zuwanderung erleichtern 3" in text
    assert "2 Ausbildungsverbund gründen 0" in text
    for texts in KEY_RESULTS.values():
        for result in texts:
            assert result in text
    # the workshops' notes as of the phase-close version, markdown laid out
    assert "Verabredungen" in text
    assert "Stammtisch im Mai" in text
    assert "Ausbildungsverbund klären" in text
    # no names without --names
    for name in CONSENTED + UNNAMED:
        assert name not in text
    assert de("This report contains no names of participants.") in text
    # when each kind of personal data goes (the event file's retention per kind), none gone yet
    assert de("When each kind of personal data is deleted") in text
    for kind in ("Registration", "Chat messages", "Shared notes", "Attendance"):
        assert f"{de(kind)} " in text, kind
    assert de("kept until then") in text

    # nobody else builds or downloads it
    _, token = await event_server.person(name="Neugierige Person")
    curious: Client = await connect(event_server.url, token)
    await curious.ok("room:join", {"room": "plenary"})
    refused(await curious.call("report:build", {"format": "pdf"}), "auth.forbidden")
    async with logged_in(event_server, token) as http:
        assert (await http.get(ready["report"]["url"])).status_code == 403
        assert (await http.get("/moderator/exports/attendance.xlsx")).status_code == 403

    marked, language, elements = structure(data)
    assert marked
    assert language == "de"
    kinds = [kind for kind, _ in elements]
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/Figure"} <= set(kinds)
    figures = [alt for kind, alt in elements if kind == "/Figure"]
    assert len(figures) == 6  # attendance, reactions, single, multiple, word cloud, rating
    assert all(alt and len(alt) > 20 for alt in figures)


async def test_the_docx_has_the_same_sections_as_headings_and_names_only_on_request(
    event_server: LiveServer, short_event: ShortEvent, tmp_path: Any
) -> None:
    data = cli_report(event_server, tmp_path, "--format", "docx")
    document = docx.Document(io.BytesIO(data))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    for section in SECTIONS:
        assert de(section) in headings, section
    for room in KEY_RESULTS:
        assert any(room[:4].lower() in h.lower() for h in headings)
    # the notes' own headings sit below the workshop's, and their lists stay lists
    assert "Verabredungen" in headings
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "Stammtisch im Mai" in bullets
    everything = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    for name in CONSENTED + UNNAMED:
        assert name not in everything
    pictures = document.inline_shapes
    assert len(pictures) == 6
    assert all(shape._inline.docPr.get("descr") for shape in pictures)

    named = cli_report(event_server, tmp_path, "--format", "pdf", "--names")
    text = squashed(pdf_text(named))
    for name in CONSENTED:
        assert name in text
    for name in (*UNNAMED, REMOVED):
        assert name not in text
    assert REMOVED_QUESTION in text
    assert "2 of 4" in text or "2 von 4" in text
