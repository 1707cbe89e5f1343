// The workshop phase as every page follows it: the phase from the snapshot and from each
// workshops:phase broadcast, the server's clock (so every page shows the same remaining time),
// and a timer that counts down locally with warnings at 5 and 1 minutes.
import { format } from "./page.js";

const WARNINGS = [5 * 60, 60]; // seconds before the end

/** Follow the phase; `onChange(phase, previous)` runs on the snapshot and on every change. */
export function followPhase(live, onChange) {
  let phase = null;
  let offset = 0; // server time minus this browser's time, in ms

  function set(next) {
    const previous = phase;
    phase = next || null;
    onChange(phase, previous);
  }

  live.onSnapshot((snapshot) => {
    const part = snapshot.workshops;
    if (!part) return;
    if (part.now) offset = Date.parse(part.now) - Date.now();
    set(part.phase);
  });
  live.on("workshops:phase", (payload) => set(payload.phase));
  return {
    get phase() {
      return phase;
    },
    /** The server's time now, in ms. */
    now() {
      return Date.now() + offset;
    },
    /** Seconds until `iso` by the server's clock (never negative). */
    secondsUntil(iso) {
      if (!iso) return null;
      return Math.max(0, Math.ceil((Date.parse(iso) - (Date.now() + offset)) / 1000));
    },
  };
}

export function clockText(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/**
 * A countdown in `output` (mm:ss) with warnings in the alert region `alert`: when 5 minutes or
 * less are left (and again at 1 minute), when the end time changes, and while everyone is called
 * back, and when the phase has ended. `strings`: warn_minutes (%(n)s), warn_minute, changed
 * (%(time)s, %(n)s), returning (%(time)s), ended, not_running.
 */
export function mountTimer(clock, { output, alert, strings, onTick = () => {} }) {
  const warned = new Set();
  let lastKey = null;

  function say(text) {
    if (!alert) return;
    alert.textContent = text;
    alert.hidden = !text;
  }

  function endsText(iso) {
    return new Date(iso).toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
  }

  function tick() {
    const phase = clock.phase;
    const key = phase ? `${phase.status}|${phase.ends_at}|${phase.return_at}` : "none";
    if (key !== lastKey) {
      const changedEnd = lastKey !== null && lastKey.startsWith("open|") && phase && phase.status === "open";
      const ended = lastKey !== null && !lastKey.startsWith("closed|") && lastKey !== "none" && phase && phase.status === "closed";
      lastKey = key;
      warned.clear();
      say(ended && strings.ended ? strings.ended : "");
      if (changedEnd && strings.changed) {
        const left = clock.secondsUntil(phase.ends_at);
        say(format(strings.changed, { time: endsText(phase.ends_at), n: Math.ceil(left / 60) }));
        for (const at of WARNINGS) if (left <= at) warned.add(at);
      }
    }
    if (!phase || phase.status === "closed") {
      if (output) output.textContent = strings.not_running || "–";
      onTick(phase, null);
      return;
    }
    if (phase.status === "returning") {
      const left = clock.secondsUntil(phase.return_at);
      if (output) output.textContent = clockText(left);
      if (!warned.has("returning")) {
        warned.add("returning");
        say(format(strings.returning, { time: clockText(left) }));
      }
      onTick(phase, left);
      return;
    }
    const left = clock.secondsUntil(phase.ends_at);
    if (output) output.textContent = clockText(left);
    const crossed = WARNINGS.filter((at) => left <= at && left > 0 && !warned.has(at));
    if (crossed.length) {
      for (const at of WARNINGS) if (left <= at) warned.add(at);
      const minutes = Math.ceil(left / 60);
      say(minutes <= 1 ? strings.warn_minute : format(strings.warn_minutes, { n: minutes }));
    }
    onTick(phase, left);
  }

  tick();
  const timer = setInterval(tick, 1000);
  return {
    tick,
    stop() {
      clearInterval(timer);
    },
  };
}
