"""WCAG 1.4.10 reflow, checked on a page as it stands: nothing scrolls sideways, nothing is cut
off, and the footer links the statements (tests/browser/test_reflow.py walks every page)."""

from __future__ import annotations

from playwright.async_api import Page

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
