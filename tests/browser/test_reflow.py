"""Every page at 200 % zoom (640 CSS pixels of a 1280-pixel window) and at 320 pixels wide
(WCAG 1.4.10): nothing scrolls sideways, nothing is cut off; and every page's footer links
the privacy notice, the accessibility statement and the plain-language and sign-language
explanations."""

from __future__ import annotations

import uuid

import pytest
from playwright.async_api import Page, expect

from conference.auth.presenter import presenter_key
from conference.auth.roles import Role
from conference.settings import Settings
from tests.fixtures.live_server import LiveServer

FOOTER = ["/privacy", "/accessibility", "/leichte-sprache", "/gebaerdensprache", "/my-data"]

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const page = document.documentElement.scrollWidth;
  if (page > width) problems.push(`the page scrolls sideways: ${page}px in ${width}px`);
  const name = (el) => {
    const classes = typeof el.className === "string" ? el.className.split(" ") : [];
    const id = el.id ? "#" + el.id : "";
    return `<${el.tagName.toLowerCase()}${id}${classes.map((c) => c && "." + c).join("")}>`;
  };
  // a region that scrolls on purpose (and says so to keyboard users) shows what it holds
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (["auto", "scroll"].includes(s.overflowX) && p.tabIndex >= 0) return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest(".visually-hidden, .skip-link, [hidden], script, template")) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if ((box.right > width + 1 || box.left < -1) && !scrolls(el)) {
      problems.push(`${name(el)} reaches ${Math.round(box.left)}..${Math.round(box.right)}px`);
    }
    const clips = ["hidden", "clip"].includes(style.overflowX);
    // a text field scrolls its own value; a player draws its own frame
    const own = ["INPUT", "TEXTAREA", "SELECT", "VIDEO", "IFRAME"].includes(el.tagName);
    if (clips && !own && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${name(el)} cuts off its content: ${el.scrollWidth}px in ${el.clientWidth}px`);
    }
  }
  return problems.slice(0, 8);
}"""


async def check(page: Page, path: str) -> list[str]:
    """What is wrong with the page at this width, and whether its footer links are there."""
    await page.wait_for_load_state("load")
    problems: list[str] = [f"{path}: {p}" for p in await page.evaluate(OVERFLOW)]
    if not path.startswith("/presenter/"):  # a video overlay for the stream, without chrome
        links = page.locator("footer nav a")
        hrefs = [await link.get_attribute("href") for link in await links.all()]
        if hrefs != FOOTER:
            problems.append(f"{path}: footer links {hrefs}")
    return problems


@pytest.mark.parametrize("width", [640, 320])
async def test_every_page_reflows_and_links_the_statements(
    memory_server: LiveServer, new_context, width: int
) -> None:
    server = memory_server
    viewport = {"width": width, "height": 800}
    visitor = await (await new_context(viewport=viewport)).new_page()
    problems: list[str] = []
    key = presenter_key(Settings(secret_key=server.env["CONFERENCE_SECRET_KEY"]))
    for path in [
        "/",
        "/register",
        "/privacy",
        "/accessibility",
        "/leichte-sprache",
        "/gebaerdensprache",
        "/my-data",  # without a link: the page that asks for it
        "/join/not-a-valid-link",
        f"/presenter/{key}",
    ]:
        await visitor.goto(server.url + path)
        problems += await check(visitor, path)

    # a registration's confirmation, with its long personal link
    await visitor.goto(server.url + "/register")
    await visitor.get_by_label("Name *").fill(f"Schmal {uuid.uuid4().hex[:6]}")
    email = f"schmal-{uuid.uuid4().hex[:8]}@example.org"
    await visitor.get_by_label("E-Mail-Adresse *").fill(email)
    await visitor.get_by_label("Ich stimme der Datenschutzerklärung zu. *").check()
    await visitor.get_by_role("button", name="Anmelden").click()
    await expect(visitor.get_by_role("heading", name="Sie sind angemeldet")).to_be_visible()
    problems += await check(visitor, "/register (done)")

    for role, room, paths in (
        (Role.PARTICIPANT, None, ["/plenary", "/my-data"]),
        (Role.MODERATOR, None, ["/moderator"]),
        (Role.FACILITATOR, "vernetzung", ["/workshop/vernetzung"]),
    ):
        _, token = await server.person(
            role, name="Reflow Rita", organisation="Prüfstelle", room=room
        )
        page = await (await new_context(viewport=viewport)).new_page()
        await page.goto(f"{server.url}/join/{token}")
        for path in paths:
            await page.goto(server.url + path)
            await expect(page.locator("body")).to_be_visible()
            if path in ("/plenary", "/moderator", "/workshop/vernetzung"):
                await expect(page.locator("body[data-live='connected']")).to_be_attached()
            problems += await check(page, path)
    assert problems == [], "\n".join(problems)
