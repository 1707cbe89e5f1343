"""The assignment as CSV: exported for German Excel, edited, imported back (all or nothing)."""

from __future__ import annotations

import csv
import io
from typing import Any

from conference.auth.roles import Role
from tests.fixtures.live_server import LiveServer, logged_in
from tests.workshops.helpers import closed_phase, moderator, new_room, participant


def _rows(body: bytes) -> list[dict[str, str]]:
    assert body.startswith("\ufeff".encode())  # the BOM: German Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


async def test_export_edit_import(afternoon: LiveServer, connect: Any) -> None:
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    first, second = await new_room(mod, capacity=3), await new_room(mod, capacity=1)
    anna_id, anna = await participant(
        afternoon, connect, name="Anna Ästhetik", workshop_first=first, workshop_second=second
    )
    bert_id, _ = await participant(afternoon, connect, name="=Bert", workshop_first=first)
    await mod.ok("workshops:move", {"people": [anna_id, bert_id], "room": first})
    _, mod_token = await afternoon.person(Role.MODERATOR, name="Export")
    async with logged_in(afternoon, mod_token) as http:
        exported = await http.get("/moderator/workshops/seats.csv")
        assert exported.status_code == 200
        assert exported.headers["content-type"].startswith("text/csv")
        rows = {row["id"]: row for row in _rows(exported.content)}
        assert rows[anna_id]["name"] == "Anna Ästhetik"
        assert rows[anna_id]["first_choice"] == first
        assert rows[anna_id]["workshop"] == first
        assert rows[anna_id]["waitlist"] == "nein"
        assert rows[bert_id]["name"] == "'=Bert"  # never a formula

        # edited in a spreadsheet: Anna to the small room (by its title), Bert out
        edited = io.StringIO()
        writer = csv.writer(edited, delimiter=";")
        writer.writerow(["id", "workshop"])
        titles = {r["id"]: r["title"] for r in (await mod.ok("workshops:overview", {}))["rooms"]}
        writer.writerow([anna_id, titles[second]])
        writer.writerow([bert_id, ""])
        imported = await http.post(
            "/moderator/workshops/seats.csv",
            files={"file": ("seats.csv", ("\ufeff" + edited.getvalue()).encode(), "text/csv")},
        )
        assert imported.status_code == 200, imported.text
        assert imported.json() == {"changed": 2}
        notice = await anna.wait_for("workshops:seat", lambda n: n["seat"]["room"] == second)
        assert notice["seat"]["source"] == "import"

        # one bad row and nothing changes
        bad = f"id;workshop\r\n{bert_id};{first}\r\nnobody;{first}\r\n".encode()
        refused = await http.post(
            "/moderator/workshops/seats.csv", files={"file": ("bad.csv", bad, "text/csv")}
        )
        assert refused.status_code == 400
        assert "3:" in refused.json()["errors"][0]
        again = {
            row["id"]: row
            for row in _rows((await http.get("/moderator/workshops/seats.csv")).content)
        }
        assert again[bert_id]["workshop"] == ""
        assert again[anna_id]["workshop"] == second

    _, participant_token = await afternoon.person(name="Neugierig")
    async with logged_in(afternoon, participant_token) as http:
        assert (await http.get("/moderator/workshops/seats.csv")).status_code == 403
