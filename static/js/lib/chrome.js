// What every live page shows around its content: the announcement banner, the connection
// state, and the end of the session. Strings come from base.html's #chrome-data.
import { el, pageData } from "./page.js";

export function mountChrome(live) {
  if (typeof document === "undefined") return;
  const strings = pageData("chrome-data").strings || {};
  const banner = document.getElementById("announcement");
  const status = document.getElementById("connection-status");
  const endedBox = document.getElementById("session-ended");

  function showAnnouncement(announcement) {
    if (!banner) return;
    banner.replaceChildren();
    if (!announcement || !announcement.text) {
      banner.hidden = true;
      return;
    }
    banner.append(
      el("strong", { className: "announcement-label", text: strings.announcement || "" }),
      " ",
      el("span", { className: "announcement-text", text: announcement.text }),
    );
    banner.hidden = false;
  }

  live.onSnapshot((snapshot) => showAnnouncement(snapshot.event && snapshot.event.announcement));
  live.on("announce:current", (payload) => showAnnouncement(payload.announcement));

  live.onStatus((state, detail) => {
    document.body.dataset.live = state;
    if (status) {
      const text = state === "reconnecting" ? strings.reconnecting : state === "error" ? strings.error : "";
      status.textContent = text || "";
      status.hidden = !text;
    }
    if (state === "ended") showEnded(detail);
  });

  function showEnded(reason) {
    const main = document.getElementById("main");
    if (main) main.inert = true;
    if (!endedBox) return;
    const text = (reason === "removed" || reason === "withdrawn") && strings[reason] ? strings[reason] : strings.ended;
    endedBox.replaceChildren(
      el("h2", { text: strings.ended_title || "" }),
      el("p", { text: text || "" }),
      el("p", {}, [el("a", { text: strings.home || "", attrs: { href: "/" } })]),
    );
    endedBox.hidden = false;
    endedBox.focus();
  }
}
