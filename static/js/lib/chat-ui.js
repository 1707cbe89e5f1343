// The chat of a room: history from the snapshot, live messages in log order, deletions,
// the composer with its length limit, muting, and (for moderators) actions per message.
import { newClientId } from "./live.js";
import { el, format, pageData, say } from "./page.js";

const NEAR_BOTTOM_PX = 48;
const SLOW_MS = 1500;
/** How many messages a page keeps in the DOM (older ones stay on the server and in the exports). */
export const CHAT_KEEP = 300;
/** How many of the messages dropped from the list the page still holds, to show on request. */
const OLDER_KEEP = 5000;
/** How many older messages one click on "show older messages" brings back. */
const SHOW_MORE = 100;

/**
 * @param live the connection from connectLive
 * @param {Document} doc
 * @param {{room: string, keep?: number, moderation?: {deleteMessage(message): void, mute(person, muted): void, remove(person): void}}} options
 *   `keep`: at most this many messages stay in the list, the oldest go (a note says so);
 *   CHAT_KEEP unless given
 */
export function mountChat(live, doc, { room, keep = CHAT_KEEP, moderation = null }) {
  const strings = pageData("chat-data").strings || {};
  const log = doc.getElementById("chat-log");
  const scroller = doc.getElementById("chat-scroll") || log;
  const empty = doc.getElementById("chat-empty");
  const form = doc.getElementById("chat-form");
  const input = doc.getElementById("chat-input");
  const send = doc.getElementById("chat-send");
  const limit = doc.getElementById("chat-limit");
  const feedback = doc.getElementById("chat-feedback");
  const mutedNote = doc.getElementById("chat-muted");
  const pauseButton = doc.getElementById("chat-pause");
  const pendingNote = doc.getElementById("chat-pending");
  const trimmedNote = doc.getElementById("chat-trimmed");
  const trimmedText = doc.getElementById("chat-trimmed-text");
  const olderButton = doc.getElementById("chat-older");
  if (!log || !form) return null;

  const byId = new Map(); // message id -> <li>
  const mutedPeople = new Map(); // person id -> muted (moderators' view)
  let maxLength = Number(input.getAttribute("maxlength")) || 1000;
  let muted = false;
  let sending = false;
  // WCAG 2.2.2: the reader may pause the automatic updates; messages wait until resumed
  let paused = false;
  let held = [];
  let heldDropped = 0; // messages that arrived while paused but fell out of `keep` before resuming
  let joined = false; // the first snapshot replaces the log; later ones (reconnects) add to it
  let hiddenUpTo = 0; // the highest seq dropped from the list to keep it short: older ones stay out
  // what was dropped from the list, to show again on request (oldest first once sorted), and
  // how many went beyond OLDER_KEEP (only counted)
  let older = [];
  let olderLost = 0;
  let lostUpTo = 0;
  const messageOf = new WeakMap(); // <li> -> the message it shows
  const timeFormat = new Intl.DateTimeFormat(doc.documentElement.lang || undefined, {
    hour: "2-digit",
    minute: "2-digit",
  });

  function nearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
  }

  function nameOf(person) {
    return person.deleted ? strings.deleted_person : person.name;
  }

  function render(message) {
    const person = message.person || {};
    const item = el("li", {
      className: "chat-message",
      attrs: { "data-id": message.id, "data-seq": message.seq, "data-person": person.id },
    });
    if (person.role === "moderator" || person.role === "admin") item.classList.add("chat-by-moderator");
    const meta = el("p", { className: "chat-meta" }, [
      el("span", { className: person.deleted ? "chat-name chat-deleted-person" : "chat-name", text: nameOf(person) }),
    ]);
    if (person.organisation) meta.append(" ", el("span", { className: "chat-org", text: person.organisation }));
    if (item.classList.contains("chat-by-moderator")) {
      meta.append(" ", el("span", { className: "chat-role", text: strings.moderator }));
    }
    const created = new Date(message.created_at);
    if (!Number.isNaN(created.getTime())) {
      meta.append(" ", el("time", { className: "chat-time", text: timeFormat.format(created), attrs: { datetime: message.created_at } }));
    }
    item.append(meta, el("p", { className: "chat-body", text: message.body }));
    if (moderation) item.append(actions(message, person));
    messageOf.set(item, message);
    return item;
  }

  function actions(message, person) {
    const box = el("div", { className: "chat-actions" });
    const del = el("button", {
      className: "button-small chat-delete",
      text: strings.delete,
      attrs: { type: "button", "aria-label": format(strings.delete_label, { name: nameOf(person) }) },
    });
    del.addEventListener("click", () => moderation.deleteMessage(message));
    box.append(del);
    if (moderation.mute && person.role !== "moderator" && person.role !== "admin" && !person.deleted) {
      const mute = el("button", { className: "button-small chat-mute", attrs: { type: "button", "data-person": person.id } });
      labelMute(mute, person);
      mute.addEventListener("click", () => moderation.mute(person, !mutedPeople.get(person.id)));
      const remove = el("button", {
        className: "button-small button-danger chat-remove",
        text: strings.remove,
        attrs: { type: "button", "aria-label": format(strings.person_label, { action: strings.remove, name: person.name }) },
      });
      remove.addEventListener("click", () => moderation.remove(person));
      box.append(mute, remove);
    }
    return box;
  }

  function labelMute(button, person) {
    const action = mutedPeople.get(person.id) ? strings.unmute : strings.mute;
    button.textContent = action;
    button.setAttribute("aria-label", format(strings.person_label, { action, name: person.name }));
    button.dataset.name = person.name;
  }

  function insert(message) {
    if (!message || !message.id || byId.has(message.id)) return;
    if (Number(message.seq) <= hiddenUpTo) return; // older than what the list keeps
    const stick = nearBottom();
    const item = render(message);
    let before = null;
    for (let node = log.lastElementChild; node; node = node.previousElementSibling) {
      if (Number(node.dataset.seq) > Number(message.seq)) before = node;
      else break;
    }
    log.insertBefore(item, before);
    byId.set(message.id, item);
    trim(stick);
    updateEmpty();
    if (stick) scroller.scrollTop = scroller.scrollHeight;
  }

  /** Drop the oldest messages beyond `keep`; a reader scrolled up keeps their place. */
  function trim(stick) {
    if (byId.size <= keep) return;
    const height = scroller.scrollHeight;
    while (byId.size > keep && log.firstElementChild) {
      const oldest = log.firstElementChild;
      hideOlder(messageOf.get(oldest));
      byId.delete(oldest.dataset.id);
      oldest.remove();
    }
    showOlderNote();
    if (!stick) scroller.scrollTop -= height - scroller.scrollHeight;
  }

  /** Keep a message that left the list (or never entered it), to show on request. */
  function hideOlder(message) {
    if (!message) return;
    hiddenUpTo = Math.max(hiddenUpTo, Number(message.seq) || 0);
    older.push(message);
    if (older.length > OLDER_KEEP) {
      older.sort(bySeq);
      const lost = older.shift();
      olderLost += 1;
      lostUpTo = Math.max(lostUpTo, Number(lost.seq) || 0);
    }
  }

  function bySeq(a, b) {
    return Number(a.seq) - Number(b.seq);
  }

  /** Above the list, outside its live region (a count that changes with every message
   * must not be read out): how many older messages are hidden, and a button for them. */
  function showOlderNote() {
    const n = older.length + olderLost;
    if (trimmedNote) trimmedNote.hidden = n === 0;
    if (trimmedText) trimmedText.textContent = format(strings.trimmed, { n });
    if (olderButton) olderButton.hidden = older.length === 0;
  }

  /** Bring back the newest SHOW_MORE of the hidden messages, at the top of the list. */
  function showOlder() {
    older.sort(bySeq);
    const batch = older.splice(Math.max(0, older.length - SHOW_MORE));
    keep += batch.length;
    const first = log.firstElementChild;
    for (const message of batch) {
      if (byId.has(message.id)) continue;
      const item = render(message);
      log.insertBefore(item, first);
      byId.set(message.id, item);
    }
    hiddenUpTo = older.length ? Number(older[older.length - 1].seq) || 0 : lostUpTo;
    showOlderNote();
    updateEmpty();
    scroller.scrollTop = 0;
  }
  if (olderButton) olderButton.addEventListener("click", showOlder);

  function anonymise(personId) {
    for (const item of log.querySelectorAll(".chat-message")) {
      if (item.dataset.person !== personId) continue;
      const name = item.querySelector(".chat-name");
      if (name) {
        name.textContent = strings.deleted_person;
        name.classList.add("chat-deleted-person");
      }
      for (const node of item.querySelectorAll(".chat-org, .chat-mute, .chat-remove")) node.remove();
      const del = item.querySelector(".chat-delete");
      if (del) del.setAttribute("aria-label", format(strings.delete_label, { name: strings.deleted_person }));
    }
    const gone = { name: "", organisation: "", deleted: true };
    const forget = (m) => (m.person && m.person.id === personId ? { ...m, person: { ...m.person, ...gone } } : m);
    held = held.map(forget);
    older = older.map(forget);
  }

  function showPending() {
    if (!pendingNote) return;
    const waiting = held.length + heldDropped;
    pendingNote.textContent = paused ? (waiting ? format(strings.pending, { n: waiting }) : strings.paused) : "";
  }

  function setPaused(value) {
    paused = Boolean(value);
    if (pauseButton) pauseButton.setAttribute("aria-pressed", String(paused));
    if (!paused) {
      const waiting = held;
      held = [];
      heldDropped = 0;
      for (const message of waiting) insert(message);
    }
    showPending();
  }

  function receive(message) {
    if (!paused) {
      insert(message);
      return;
    }
    held.push(message);
    // a long pause in a busy room must not grow without bound: the list would drop them anyway
    while (held.length > keep) {
      hideOlder(held.shift());
      heldDropped += 1;
    }
    showOlderNote();
    showPending();
  }

  function remove(id) {
    held = held.filter((m) => m.id !== id);
    if (older.some((m) => m.id === id)) {
      older = older.filter((m) => m.id !== id);
      showOlderNote();
    }
    if (paused) showPending();
    const item = byId.get(id);
    if (!item) return;
    item.remove();
    byId.delete(id);
    updateEmpty();
  }

  function updateEmpty() {
    if (empty) empty.hidden = byId.size > 0;
  }

  function setMuted(value, announce) {
    muted = Boolean(value);
    if (mutedNote) mutedNote.hidden = !muted;
    input.disabled = muted;
    send.disabled = muted || sending;
    if (announce) say(feedback, muted ? strings.muted : strings.unmuted, muted ? "error" : "info");
  }

  function updateLimit() {
    const n = input.value.length;
    limit.textContent = format(strings.limit, { n, max: maxLength });
    limit.classList.toggle("over", n > maxLength);
  }

  live.onSnapshot((snapshot) => {
    const chat = snapshot.chat || {};
    if (chat.max_length) {
      maxLength = chat.max_length;
      input.setAttribute("maxlength", String(maxLength));
    }
    // a rebuilt history is not news: keep screen readers from reading it all out
    scroller.setAttribute("aria-busy", "true");
    if (!joined) {
      log.replaceChildren();
      byId.clear();
      hiddenUpTo = 0;
      older = [];
      olderLost = 0;
      lostUpTo = 0;
      showOlderNote();
      held = [];
      heldDropped = 0;
      showPending();
    }
    // after a reconnect the page keeps what it showed: live.js replays everything since
    // (deletions included), and the snapshot's recent messages fill in once each
    joined = true;
    for (const message of chat.messages || []) insert(message);
    scroller.scrollTop = scroller.scrollHeight;
    // busy until the catch-up after it is done (live.js reports "connected" then): a long
    // absence replays hundreds of messages that are not news either
    if (live.status === "connected") setTimeout(() => scroller.removeAttribute("aria-busy"), 0);
    setMuted(snapshot.me && snapshot.me.muted, false);
    updateLimit();
  });

  live.onStatus((state) => {
    if (state === "connected") scroller.removeAttribute("aria-busy");
  });
  // a catch-up of more than one page while connected (a gap, a resync) is not news either
  live.onCatchUp((stream, busy) => {
    if (stream !== room) return;
    if (busy) scroller.setAttribute("aria-busy", "true");
    else if (live.status === "connected") scroller.removeAttribute("aria-busy");
  });
  live.on("chat:message", (message) => {
    if (message.room === room) receive(message);
  });
  live.on("chat:anonymised", (payload) => {
    if (payload.room === room) for (const id of payload.person_ids || []) anonymise(id);
  });
  if (pauseButton) pauseButton.addEventListener("click", () => setPaused(!paused));
  live.on("chat:deleted", (payload) => {
    if (payload.room === room) remove(payload.id);
  });
  live.on("person:muted", (payload) => {
    if (live.me && payload.person_id === live.me.id) setMuted(payload.muted, true);
    if (moderation) setPersonMuted(payload.person_id, payload.muted);
  });

  function setPersonMuted(personId, value) {
    mutedPeople.set(personId, Boolean(value));
    for (const button of log.querySelectorAll("button.chat-mute")) {
      if (button.dataset.person === personId) labelMute(button, { id: personId, name: button.dataset.name });
    }
  }

  input.addEventListener("input", updateLimit);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (muted || sending) return;
    const body = input.value.trim();
    if (!body) {
      say(feedback, strings.empty, "error");
      return;
    }
    if (body.length > maxLength) {
      say(feedback, format(strings.too_long, { max: maxLength }), "error");
      return;
    }
    sending = true;
    send.disabled = true;
    feedback.textContent = "";
    // a slow ack means a reconnect: the message is retried with the same id until it lands
    const slow = setTimeout(() => say(feedback, strings.sending, "info"), SLOW_MS);
    try {
      const message = await live.call("chat:send", { room, body, client_id: newClientId() });
      feedback.textContent = "";
      insert({ ...message, room });
      if (input.value.trim() === body) input.value = "";
      updateLimit();
    } catch (err) {
      if (err.code === "chat.muted") setMuted(true, false);
      say(feedback, err.message && err.code !== "network.timeout" ? err.message : strings.send_failed, "error");
    } finally {
      clearTimeout(slow);
      sending = false;
      send.disabled = muted;
    }
  });

  updateLimit();
  return { insert, remove, setPersonMuted, mutedPeople };
}
