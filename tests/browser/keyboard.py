"""Helpers for keyboard-only browser tests: move with Tab, and insist that every stop shows
where the focus is (WCAG 2.4.7)."""

from __future__ import annotations

from playwright.async_api import Locator, Page

# the focused element's own outline or ring, or its label's (a checkbox styled by its label)
FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "wrapped";  // past the last stop: round again
  const shown = (node) => {
    const style = getComputedStyle(node);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return outline || (style.boxShadow && style.boxShadow !== "none");
  };
  if (shown(el)) return "";
  // an editor draws the ring around itself, while the focus is in its text (CodeMirror)
  for (let node = el.parentElement, up = 0; node && up < 3; node = node.parentElement, up++) {
    if (node.matches(":focus-within") && shown(node)) return "";
  }
  return `no visible focus on <${el.tagName.toLowerCase()} id="${el.id}" class="${el.className}">`;
}"""


async def focus_is_visible(page: Page) -> str:
    """Empty when the focused element shows a focus indicator; otherwise what is wrong."""
    problem: str = await page.evaluate(FOCUS_SHOWN)
    return problem


async def tab_to(page: Page, target: Locator, *, limit: int = 80, back: bool = False) -> None:
    """Press Tab (Shift+Tab with `back`) until `target` has the focus, checking the focus
    indicator at every stop on the way."""
    key = "Shift+Tab" if back else "Tab"
    for _ in range(limit):
        await page.keyboard.press(key)
        problem = await focus_is_visible(page)
        if problem == "wrapped":
            continue
        assert problem == "", problem
        if await target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} not reached with {limit} presses of {key}")
