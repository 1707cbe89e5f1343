// The console organised for a whole day: its sections as tabs (the WAI-ARIA tabs pattern:
// arrow keys, Home and End move between tabs, the panel follows; the open tab is kept in the
// address, #polls), and the figures of the moment at the top (open polls, questions waiting,
// the plenary's reactions so far).

/** Tabs over the console's sections; returns {select(name, focusPanel)}. */
export function mountConsoleTabs(doc, root) {
  const tablist = root && root.querySelector("[role=tablist]");
  if (!tablist) return { select() {} };
  const tabs = [...tablist.querySelectorAll("[role=tab]")];
  const panelOf = (tab) => doc.getElementById(tab.getAttribute("aria-controls"));
  tablist.hidden = false;

  function select(tab, { focus = false, focusPanel = false, remember = true } = {}) {
    if (!tab) return;
    for (const other of tabs) {
      const on = other === tab;
      other.setAttribute("aria-selected", on ? "true" : "false");
      other.tabIndex = on ? 0 : -1;
      const panel = panelOf(other);
      if (panel) panel.hidden = !on;
    }
    const badge = tab.querySelector(".tab-badge[data-attention]");
    if (badge) {
      // seen: the call for attention goes away
      delete badge.dataset.attention;
      badge.textContent = "";
      badge.hidden = true;
    }
    if (focus) tab.focus();
    if (focusPanel) panelOf(tab)?.focus();
    if (remember && location.hash !== `#${tab.dataset.tab}`) history.replaceState(null, "", `#${tab.dataset.tab}`);
  }

  const byName = (name) => tabs.find((tab) => tab.dataset.tab === name);

  tablist.addEventListener("click", (event) => {
    const tab = event.target.closest("[role=tab]");
    if (tab) select(tab, { focus: true });
  });
  tablist.addEventListener("keydown", (event) => {
    const index = tabs.indexOf(doc.activeElement);
    if (index < 0) return;
    let next = null;
    if (event.key === "ArrowRight") next = tabs[(index + 1) % tabs.length];
    else if (event.key === "ArrowLeft") next = tabs[(index - 1 + tabs.length) % tabs.length];
    else if (event.key === "Home") next = tabs[0];
    else if (event.key === "End") next = tabs[tabs.length - 1];
    if (!next) return;
    event.preventDefault();
    select(next, { focus: true });
  });
  // links to a section (the figures at the top) open its tab and move the focus into it
  for (const link of doc.querySelectorAll("[data-tab-link]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      select(byName(link.dataset.tabLink), { focusPanel: true });
    });
  }
  function fromAddress() {
    const name = location.hash.replace(/^#(section-)?/, "");
    return byName(name);
  }
  window.addEventListener("hashchange", () => {
    const tab = fromAddress();
    if (tab) select(tab, { remember: false });
  });
  select(fromAddress() || tabs[0], { remember: false });

  return {
    select(name, options) {
      select(byName(name), options);
    },
    /** A number (or "!" for attention) on a tab, e.g. questions waiting for moderation. */
    badge(name, text, attention = false) {
      const tab = byName(name);
      const badge = tab && tab.querySelector(".tab-badge");
      if (!badge) return;
      if (attention && tab.getAttribute("aria-selected") === "true") return;
      badge.textContent = text ? String(text) : "";
      badge.hidden = !text;
      if (attention) badge.dataset.attention = "";
    },
  };
}

/** Open polls, held questions and reactions at the top, and the same counts on the tabs. */
export function mountLiveFigures(live, doc, { polls, questions, tabs, room = "plenary" }) {
  const openPolls = doc.getElementById("live-polls");
  const held = doc.getElementById("live-held");
  const reactionCounts = new Map(
    [...doc.querySelectorAll(".console-reaction-list li[data-emoji]")].map((li) => [li.dataset.emoji, li.querySelector(".console-reaction-count")]),
  );
  const totals = new Map();

  function count() {
    const open = polls ? [...polls.values()].filter((p) => p.status === "open").length : 0;
    const waiting = questions ? [...questions.values()].filter((q) => q.status === "held").length : 0;
    if (openPolls) openPolls.textContent = String(open);
    if (held) held.textContent = String(waiting);
    tabs.badge("polls", open);
    tabs.badge("questions", waiting);
  }
  // after the sections' own handlers (registered first) have taken the change in
  const later = () => setTimeout(count, 0);
  live.onSnapshot(later);
  for (const event of ["poll:changed", "poll:updated", "poll:deleted", "question:changed", "question:updated", "question:hidden"]) {
    live.on(event, later);
  }
  function showReactions() {
    for (const [emoji, output] of reactionCounts) output.textContent = String(totals.get(emoji) || 0);
  }
  // the totals kept on the server (snapshot and each burst); a burst without them (the
  // database was away for a moment) adds its counts
  live.onSnapshot((snapshot) => {
    const kept = snapshot && snapshot.room === room && snapshot.reactions && snapshot.reactions.totals;
    if (!kept) return;
    totals.clear();
    for (const [emoji, n] of Object.entries(kept)) totals.set(emoji, Number(n || 0));
    showReactions();
  });
  live.on("reaction:burst", (payload) => {
    if (!payload || payload.room !== room || !payload.counts) return;
    if (payload.totals) {
      for (const [emoji, n] of Object.entries(payload.totals)) totals.set(emoji, Math.max(totals.get(emoji) || 0, Number(n || 0)));
    } else {
      for (const [emoji, n] of Object.entries(payload.counts)) totals.set(emoji, (totals.get(emoji) || 0) + Number(n || 0));
    }
    showReactions();
  });
  // a call for help from a workshop room marks the workshops tab until it is opened
  live.on("workshop:help", () => tabs.badge("workshops", "!", true));
  count();
}
