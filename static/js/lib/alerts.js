// Time warnings as alerts (WCAG 4.1.3): one assertive region per page, made when the page
// mounts so that it exists before anything is said in it. Every countdown shares it: poll
// timers now, workshop timers later.
import { el } from "./page.js";

/** The page's alert region: `say(text)` interrupts a screen reader with a short warning. */
export function mountAlerts(doc) {
  let region = doc.getElementById("time-alerts");
  if (!region) {
    region = el("div", { className: "visually-hidden", attrs: { id: "time-alerts", role: "alert" } });
    doc.body.append(region);
  }
  return {
    say(text) {
      region.textContent = "";
      if (text) setTimeout(() => (region.textContent = text), 20);
    },
  };
}

/**
 * Warn once per countdown and threshold: `due(key, secondsLeft)` returns the threshold just
 * reached (e.g. 60 or 10), or null. A countdown that restarts later (a timer extended) warns
 * again once it is above a threshold again.
 */
export function warnings(thresholds = [60, 10]) {
  const sorted = [...thresholds].sort((a, b) => a - b);
  const given = new Map(); // key -> smallest threshold already warned about
  return function due(key, secondsLeft) {
    if (!Number.isFinite(secondsLeft) || secondsLeft <= 0) return null;
    const reached = sorted.find((t) => secondsLeft <= t);
    const before = given.get(key);
    if (reached === undefined) {
      given.delete(key); // above every threshold again
      return null;
    }
    if (before !== undefined && before <= reached) return null;
    given.set(key, reached);
    return reached;
  };
}
