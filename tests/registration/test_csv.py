"""CSV import and export: the `import-participants` command and the moderator console."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from conference.auth.people import list_people
from conference.auth.roles import Role
from conference.storage.db import Database
from tests.fixtures.live_server import EVENT_FILE, ROOT, LiveServer, logged_in
from tests.registration.helpers import count_people, people_with

GOOD = (
    "name,organisation,email,workshop_first,workshop_second\n"
    "Anna Schneider,IHK Musterstadt,anna@example.org,vernetzung,fachkraefte\n"
    '"Yılmaz, Mehmet",Metallbau Yılmaz GmbH,Mehmet@Example.org,,\n'
    "\n"
    "Ohne Adresse,Verein,,Digitalisierung im Mittelstand,\n"
)

LINKS_HEADER = ["name", "organisation", "email", "workshop_first", "workshop_second", "join_link"]


def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "CONFERENCE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        "CONFERENCE_EVENT_FILE": str(EVENT_FILE),
        "CONFERENCE_VAR_DIR": str(tmp_path / "var"),
        "CONFERENCE_PUBLIC_URL": "https://kickoff.example",
    }
    subprocess.run(
        [sys.executable, "-m", "conference", "migrate"], env=env, check=True, capture_output=True
    )
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conference", "import-participants", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def people(env: dict[str, str]) -> dict[str, tuple[str, str, str | None, str | None]]:
    db = Database(env["CONFERENCE_DATABASE_URL"])
    try:
        async with db.read() as conn:
            found = await list_people(conn, "kickoff")
    finally:
        await db.close()
    return {
        p.name: (p.organisation, p.email or "", p.workshop_first, p.workshop_second) for p in found
    }


async def test_cli_imports_a_comma_file_and_prints_the_links(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    source = tmp_path / "people.csv"
    source.write_text(GOOD, encoding="utf-8")
    result = run(env, str(source))
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == LINKS_HEADER
    assert [r[:3] for r in rows[1:]] == [
        ["Anna Schneider", "IHK Musterstadt", "anna@example.org"],
        ["Yılmaz, Mehmet", "Metallbau Yılmaz GmbH", "mehmet@example.org"],
        ["Ohne Adresse", "Verein", ""],
    ]
    assert all(r[5].startswith("https://kickoff.example/join/") for r in rows[1:])
    assert [r[3:5] for r in rows[1:]] == [
        ["vernetzung", "fachkraefte"],
        ["", ""],
        ["digitalisierung", ""],
    ]
    assert "3 new, 0 updated" in result.stderr
    assert await people(env) == {
        "Anna Schneider": ("IHK Musterstadt", "anna@example.org", "vernetzung", "fachkraefte"),
        "Yılmaz, Mehmet": ("Metallbau Yılmaz GmbH", "mehmet@example.org", None, None),
        "Ohne Adresse": ("Verein", "", "digitalisierung", None),
    }

    # importing again updates the same people instead of creating new ones
    source.write_text(GOOD.replace("IHK Musterstadt", "IHK Neustadt"), encoding="utf-8")
    again = run(env, str(source))
    assert again.returncode == 0, again.stderr
    assert "0 new, 3 updated" in again.stderr
    assert len(await people(env)) == 3
    assert (await people(env))["Anna Schneider"][0] == "IHK Neustadt"


async def test_cli_reads_german_excel_semicolons_with_a_bom(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    source = tmp_path / "excel.csv"
    text = (
        "Name;Organisation;E-Mail-Spalte-fehlt\n"  # wrong header first: reported, nothing imported
    )
    source.write_bytes(b"\xef\xbb\xbf" + text.encode())
    bad = run(env, str(source))
    assert bad.returncode == 1
    assert f"{source}:1: The header row must name the columns" in bad.stderr

    text = (
        "name;organisation;email;workshop_first;workshop_second\r\n"
        "Jürgen Weiß;Stadtwerke Süd, Abteilung Energie;juergen@example.org;"
        "akzeptanz;transformation\r\n"
        '=HYPERLINK("http://evil");Formel AG;formel@example.org;;\r\n'
    )
    source.write_bytes(b"\xef\xbb\xbf" + text.encode())
    output = tmp_path / "links.csv"
    result = run(env, str(source), "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    rows = list(csv.reader(io.StringIO(output.read_text(encoding="utf-8")), delimiter=";"))
    assert rows[0] == LINKS_HEADER
    assert rows[1][:3] == [
        "Jürgen Weiß",
        "Stadtwerke Süd, Abteilung Energie",
        "juergen@example.org",
    ]
    # a registrant's text never becomes a spreadsheet formula in our output
    assert rows[2][0] == '\'=HYPERLINK("http://evil")'
    found = await people(env)
    assert found["Jürgen Weiß"] == (
        "Stadtwerke Süd, Abteilung Energie",
        "juergen@example.org",
        "akzeptanz",
        "transformation",
    )


async def test_cli_imports_nothing_when_a_row_is_invalid(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    source = tmp_path / "bad.csv"
    source.write_text(
        "name,organisation,email,workshop_first,workshop_second\n"
        "Gut Person,Org,gut@example.org,vernetzung,\n"
        ",Org,kein-name@example.org,,\n"
        "Doppelt,Org,GUT@example.org,,\n"
        "Falscher Workshop,Org,falsch@example.org,tanzen,\n"
        "Gleiche Wahl,Org,gleich@example.org,vernetzung,vernetzung\n"
        "Schlechte Adresse,Org,keine-adresse,,\n",
        encoding="utf-8",
    )
    result = run(env, str(source))
    assert result.returncode == 1
    assert result.stdout == ""
    errors = result.stderr
    assert f"{source}:3: column name: Please enter your name." in errors
    assert f"{source}:4: The e-mail address gut@example.org is already on line 2." in errors
    assert (
        f"{source}:5: column workshop_first: Please choose one of the listed workshops." in errors
    )
    assert f"{source}:6: column workshop_second: Your second choice must differ" in errors
    assert f"{source}:7: column email: Please enter a valid e-mail address" in errors
    assert "nothing imported (5 error(s))" in errors
    assert await people(env) == {}

    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("name\nJürgen\n".encode("latin-1"))
    result = run(env, str(latin1))
    assert result.returncode == 1
    assert f"{latin1}:2: The file is not UTF-8 encoded." in result.stderr

    result = run(env, str(tmp_path / "missing.csv"))
    assert result.returncode == 2
    assert "No such file or directory" in result.stderr


async def test_moderators_download_participants_with_working_links(reg_server: LiveServer) -> None:
    email = f"export-{uuid.uuid4().hex[:8]}@example.org"
    async with httpx.AsyncClient(base_url=reg_server.url, timeout=10) as anonymous:
        registered = await anonymous.post(
            "/register",
            data={"name": "=Export Person", "email": email, "consent": "yes"},
        )
        assert registered.status_code == 200
        assert (await anonymous.get("/moderator/participants.csv")).status_code == 401

    _, participant_token = await reg_server.person(Role.PARTICIPANT)
    async with logged_in(reg_server, participant_token) as participant:
        refused = await participant.get("/moderator/participants.csv")
        assert refused.status_code == 403
        assert "text/csv" not in refused.headers["content-type"]

    _, moderator_token = await reg_server.person(Role.MODERATOR, name="Moderation")
    async with logged_in(reg_server, moderator_token) as moderator:
        console = await moderator.get("/moderator")
        assert 'action="/moderator/import"' in console.text
        assert 'href="/moderator/participants.csv"' in console.text
        response = await moderator.get("/moderator/participants.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="kickoff-participants.csv"' in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == LINKS_HEADER
    (row,) = [r for r in rows if r[2] == email]
    assert row[0] == "'=Export Person"
    assert "Moderation" not in [r[0] for r in rows]  # participants only
    async with httpx.AsyncClient(timeout=10) as client:
        joined = await client.get(row[5])
    assert joined.status_code == 303
    assert joined.headers["location"] == "/plenary"


@pytest.mark.parametrize("delimiter", [",", ";"])
async def test_moderators_import_a_file_and_get_the_links(
    reg_server: LiveServer, delimiter: str
) -> None:
    tag = uuid.uuid4().hex[:8]
    good = (
        f"name{delimiter}email{delimiter}workshop_first\n"
        f"Import Eins{delimiter}eins-{tag}@example.org{delimiter}vernetzung\n"
        f"Import Zwei{delimiter}zwei-{tag}@example.org{delimiter}\n"
    ).encode()
    _, moderator_token = await reg_server.person(Role.MODERATOR, name="Moderation")
    async with logged_in(reg_server, moderator_token) as moderator:
        response = await moderator.post(
            "/moderator/import", files={"file": ("leute.csv", good, "text/csv")}
        )
    assert response.status_code == 200, response.text
    assert 'filename="kickoff-imported-links.csv"' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=delimiter))
    assert [r[0] for r in rows] == ["name", "Import Eins", "Import Zwei"]
    assert all(r[5].startswith(reg_server.url + "/join/") for r in rows[1:])
    (person,) = await people_with(reg_server, f"eins-{tag}@example.org")
    assert person.workshop_first == "vernetzung"


async def test_an_invalid_upload_imports_nothing_and_lists_the_lines(
    reg_server: LiveServer,
) -> None:
    tag = uuid.uuid4().hex[:8]
    bad = (f"name,email\nGut,gut-{tag}@example.org\n,leer-{tag}@example.org\n").encode()
    before = await count_people(reg_server.database_url)
    _, moderator_token = await reg_server.person(Role.MODERATOR, name="Moderation")
    async with logged_in(reg_server, moderator_token) as moderator:
        response = await moderator.post(
            "/moderator/import", files={"file": ("x.csv", bad, "text/csv")}
        )
        assert response.status_code == 400
        assert "Import fehlgeschlagen" in response.text
        assert "Es wurde nichts importiert." in response.text
        assert "Zeile 3: Spalte name: Bitte geben Sie Ihren Namen ein." in response.text
        empty = await moderator.post(
            "/moderator/import", files={"file": ("x.csv", b"", "text/csv")}
        )
        assert empty.status_code == 400
        assert "Bitte wählen Sie eine CSV-Datei zum Hochladen aus." in empty.text
        foreign = await moderator.post(
            "/moderator/import",
            files={"file": ("x.csv", b"name\nFremd\n", "text/csv")},
            headers={"origin": "https://evil.example"},
        )
        assert foreign.status_code == 403
    # +1: the moderator created for this test
    assert await count_people(reg_server.database_url) == before + 1


async def test_participants_cannot_import(reg_server: LiveServer) -> None:
    _, token = await reg_server.person(Role.PARTICIPANT)
    before = await count_people(reg_server.database_url)
    async with logged_in(reg_server, token) as participant:
        response = await participant.post(
            "/moderator/import", files={"file": ("x.csv", b"name\nEindringling\n", "text/csv")}
        )
    assert response.status_code == 403
    assert await count_people(reg_server.database_url) == before
    async with httpx.AsyncClient(base_url=reg_server.url) as anonymous:
        response = await anonymous.post(
            "/moderator/import", files={"file": ("x.csv", b"name\nEindringling\n", "text/csv")}
        )
    assert response.status_code == 401
