#!/usr/bin/env python3
"""Screenshots for the docs, made again with one command: a demo server of its own (a fresh
SQLite database in a temporary folder), people who answer the event file's word cloud over
real sockets, and Debian's Chromium (Playwright) at 1920x1080 taking the presenter view and the
console's "on the stream now" panel, and the whole console at 1366x768 (a laptop's first screen).
To add a picture, add a page to `shoot()`.

usage: .venv/bin/python scripts/screenshots.py [--out docs/img] [--lang de|en]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import socketio
from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from conference.auth.people import create_person, issue_token  # noqa: E402
from conference.auth.presenter import presenter_key  # noqa: E402
from conference.auth.roles import Role  # noqa: E402
from conference.events.loader import load_event  # noqa: E402
from conference.settings import Settings  # noqa: E402
from conference.storage.db import Database  # noqa: E402

EVENT_FILE = ROOT / "config" / "event.toml"
SECRET = "screenshots-secret-key-screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# answers to "Wie sieht Ihre Vision einer zukunftsfähigen Industrie in Deutschland aus?", as
# people type them: case, inflection and a stray full stop vary; the cloud counts them as one
ANSWERS: list[list[str]] = [
    ["klimaneutral", "wettbewerbsfähig", "attraktiver Arbeitgeber"],
    ["Klimaneutral", "innovationsfähig"],
    ["klimaneutral.", "Wettbewerbsfähige", "digital"],
    ["attraktiver Arbeitgeber", "klimaneutral"],
    ["innovationsfähig", "vernetzt", "Fachkräfte"],
    ["Klimaneutral", "attraktive Arbeitgeber", "regional verankert"],
    ["wettbewerbsfähig", "digital", "resilient"],
    ["klimaneutral", "innovationsfähig", "mutig"],
    ["Wasserstoff", "klimaneutral", "wettbewerbsfähig"],
    ["attraktiver Arbeitgeber", "Fachkräfte", "vernetzt"],
    ["digital", "innovationsfähig", "nachhaltig"],
    ["klimaneutral", "Kreislaufwirtschaft"],
    ["wettbewerbsfähig", "attraktiver Arbeitgeber", "offen"],
    ["innovationsfähig", "Klimaneutral", "Bürokratieabbau"],
    ["nachhaltig", "resilient", "vernetzt"],
    ["klimaneutral", "digital", "Fachkräfte"],
    ["wettbewerbsfähig", "innovationsfähig", "attraktiver Arbeitgeber"],
    ["Mittelstand", "klimaneutral", "mutig"],
    ["Energie bezahlbar", "wettbewerbsfähig"],
    ["Klimaneutral", "attraktiver Arbeitgeber", "KI"],
    ["innovationsfähig", "Wasserstoff", "regional verankert"],
    ["klimaneutral", "Fachkräfte", "Ausbildung"],
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def demo_server(folder: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """`conference demo` on a free port with a database of its own; yields (url, env)."""
    env = {
        **os.environ,
        "CONFERENCE_DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'conference.db'}",
        "CONFERENCE_EVENT_FILE": str(EVENT_FILE),
        "CONFERENCE_VAR_DIR": str(folder / "var"),
        "CONFERENCE_SECRET_KEY": SECRET,
        "CONFERENCE_LOG_LEVEL": "warning",
        "CONFERENCE_REDIS_URL": "",
    }
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "conference", "demo", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the demo server did not start: see {folder / 'server.log'}")
            time.sleep(0.3)
        yield url, env
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


async def people(env: dict[str, str], count: int) -> tuple[str, list[str]]:
    """A moderator and `count` participants, directly in the database: their join tokens."""
    event = load_event(Path(env["CONFERENCE_EVENT_FILE"]))
    db = Database(env["CONFERENCE_DATABASE_URL"])
    try:
        async with db.write() as conn:
            mod = await create_person(
                conn, event_id=event.id, name="Moderation", role=Role.MODERATOR, source="demo"
            )
            mod_token = await issue_token(conn, mod.id)
            tokens = []
            for index in range(count):
                person = await create_person(
                    conn,
                    event_id=event.id,
                    name=f"Teilnehmende {index + 1}",
                    organisation="Initiative",
                    source="demo",
                )
                tokens.append(await issue_token(conn, person.id))
    finally:
        await db.close()
    return mod_token, tokens


@contextlib.asynccontextmanager
async def client(url: str, token: str) -> AsyncIterator[socketio.AsyncClient]:
    sio = socketio.AsyncClient(reconnection=False)
    await sio.connect(url, auth={"token": token}, transports=["websocket"])
    try:
        ack = await sio.call("room:join", {"room": "plenary"}, timeout=10)
        assert ack["ok"], ack
        yield sio
    finally:
        await sio.disconnect()


async def call(sio: socketio.AsyncClient, event: str, data: dict[str, Any]) -> Any:
    ack = await sio.call(event, data, timeout=10)
    if not ack["ok"]:
        raise SystemExit(f"{event} was refused: {ack['error']}")
    return ack["data"]


async def answer_the_word_cloud(url: str, mod_token: str, tokens: list[str]) -> None:
    async with client(url, mod_token) as mod:
        snapshot = await call(mod, "room:join", {"room": "plenary"})
        vision = next(p for p in snapshot["polls"]["polls"] if p["key"] == "vision")
        ref = {"room": "plenary", "id": vision["id"]}
        if vision["status"] == "draft":
            await call(mod, "poll:open", ref)  # opening it puts it on the stage
        await call(mod, "stage:set", {"kind": "wordcloud", "id": vision["id"]})
        for token, words in zip(tokens, ANSWERS, strict=False):
            async with client(url, token) as person:
                await call(person, "poll:vote", {**ref, "words": words})


async def shoot(url: str, mod_token: str, out: Path, lang: str) -> list[Path]:
    key = presenter_key(Settings(secret_key=SECRET))
    made = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport={"width": 1920, "height": 1080})
            page = await context.new_page()
            await page.goto(f"{url}/presenter/{key}?lang={lang}")
            await page.locator(".poll-cloud-packed .poll-cloud-word").first.wait_for()
            await page.wait_for_timeout(500)  # the last results broadcast
            path = out / f"presenter-wordcloud-{lang}.png"
            await page.screenshot(path=str(path))
            made.append(path)

            console = await context.new_page()
            await console.set_viewport_size({"width": 1366, "height": 900})
            await console.goto(f"{url}/join/{mod_token}")
            await console.goto(f"{url}/moderator?lang={lang}")
            panel = console.locator("#stage-console")
            await panel.locator("#stage-current").filter(has_text=re.compile(".+")).wait_for()
            path = out / f"stage-console-{lang}.png"
            await panel.screenshot(path=str(path))
            made.append(path)

            # the whole console on a laptop's first screen: live now, the tabs, the chat
            laptop = await browser.new_context(viewport={"width": 1366, "height": 768})
            whole = await laptop.new_page()
            await whole.goto(f"{url}/join/{mod_token}")
            await whole.goto(f"{url}/moderator?lang={lang}")
            await whole.locator("body[data-live='connected']").wait_for(state="attached")
            await whole.locator("#polls-admin-list .poll").first.wait_for()
            await whole.wait_for_timeout(500)
            path = out / f"console-{lang}.png"
            await whole.screenshot(path=str(path))
            made.append(path)
        finally:
            await browser.close()
    return made


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--lang", choices=("de", "en"), default="de")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="conference-shots-"))
        url, env = stack.enter_context(demo_server(Path(tmp)))
        mod_token, tokens = await people(env, len(ANSWERS))
        await answer_the_word_cloud(url, mod_token, tokens)
        for path in await shoot(url, mod_token, args.out, args.lang):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    asyncio.run(main())
