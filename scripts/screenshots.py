#!/usr/bin/env python3
"""Screenshots for docs/img/, taken from the demo event in Debian's Chromium.

usage: .venv/bin/python scripts/screenshots.py [NAME ...]     (default: every shot)

Starts `conference demo` on a free port with a fresh database, opens the join link of whoever a
shot needs (the moderator, a participant; "visitor": nobody), runs the shot's preparation and
writes docs/img/<name>.png at the shot's viewport (the first screen, or the whole page with
full_page). To add a shot, add a line to SHOTS; a path may name the presenter view as
"{presenter}".
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Page, async_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
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


async def _console_in_use(page: Page) -> None:
    """The programme has begun and the first prepared poll is open."""
    await page.locator("#agenda-next").click()
    first = page.locator("#polls-admin-list button[data-action='open']").first
    if await first.count():
        await first.click()
    await page.locator("#polls-admin-list .poll").first.wait_for()
    await page.wait_for_timeout(500)
    await page.evaluate("window.scrollTo(0, 0)")


@dataclass(frozen=True)
class Shot:
    name: str  # docs/img/<name>.png
    path: str  # e.g. "/moderator", or "{presenter}"
    viewport: tuple[int, int]
    who: str = "moderator"  # moderator | participant | visitor
    lang: str = "de"
    full_page: bool = False
    prepare: Callable[[Page], Awaitable[None]] | None = None


SHOTS = [
    Shot("console", "/moderator", (1366, 768), prepare=_console_in_use),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_demo(directory: Path) -> tuple[subprocess.Popen[bytes], str, dict[str, str]]:
    """The demo server and the links it prints: moderator, participant, presenter."""
    port = _free_port()
    env = {
        **os.environ,
        "CONFERENCE_DATABASE_URL": f"sqlite+aiosqlite:///{directory / 'demo.db'}",
        "PYTHONUNBUFFERED": "1",
    }
    log = directory / "demo.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "conference", "demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if "Uvicorn running" in text or "Application startup complete" in text:
            break
        if process.poll() is not None:
            raise SystemExit(f"the demo did not start:\n{text}")
        time.sleep(0.2)
    text = log.read_text(errors="replace")
    links = {
        "moderator": re.search(r"Moderator:\s+(\S+)", text),
        "participant": re.search(r"Participant:\s+(\S+)", text),
        "presenter": re.search(r"Presenter view:\s+(\S+)", text),
    }
    found = {who: match.group(1) for who, match in links.items() if match}
    return process, base, found


async def take(shots: list[Shot]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        process, base, links = _start_demo(Path(tmp))
        try:
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                for shot in shots:
                    width, height = shot.viewport
                    context = await browser.new_context(
                        viewport={"width": width, "height": height},
                        locale="de-DE" if shot.lang == "de" else "en-GB",
                        timezone_id="Europe/Berlin",
                    )
                    page = await context.new_page()
                    if shot.who != "visitor":
                        await page.goto(links[shot.who])
                    path = shot.path.replace("{presenter}", links["presenter"].removeprefix(base))
                    separator = "&" if "?" in path else "?"
                    await page.goto(f"{base}{path}{separator}lang={shot.lang}")
                    await page.wait_for_load_state("networkidle")
                    if shot.prepare:
                        await shot.prepare(page)
                    target = OUT / f"{shot.name}.png"
                    await page.screenshot(path=str(target), full_page=shot.full_page)
                    print(f"{target.relative_to(ROOT)}  {width}x{height}  {shot.path}")
                    await context.close()
                await browser.close()
        finally:
            process.terminate()
            process.wait(timeout=10)


def main(names: list[str]) -> None:
    chosen = [shot for shot in SHOTS if not names or shot.name in names]
    unknown = set(names) - {shot.name for shot in SHOTS}
    if unknown:
        raise SystemExit(f"unknown shot(s): {', '.join(sorted(unknown))}")
    asyncio.run(take(chosen))


if __name__ == "__main__":
    main(sys.argv[1:])
