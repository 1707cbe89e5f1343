// The console's workshops panel: open the phase with a duration, change the timer, bring
// everyone back, close; the rooms now (presence, facilitator, seats, calls for help, a look
// inside); the assignment (computed, moved by hand, CSV out and in).
import { connectLive } from "./live.js";
import { el, format, pageData, say } from "./page.js";
import { followPhase, mountTimer } from "./workshops-phase.js";

const OVERVIEW_MIN_MS = 1000;

export function mountWorkshopsConsole(live, doc) {
  const root = doc.getElementById("workshops-admin");
  if (!root) return null;
  const strings = pageData("workshops-admin-data").strings || {};
  const $ = (id) => doc.getElementById(id);
  const feedback = $("wsa-feedback");

  let rooms = [];
  let overview = [];
  let people = [];

  async function act(event, payload, done) {
    try {
      const data = await live.call(event, payload);
      if (done) say(feedback, typeof done === "function" ? done(data) : done, "ok");
      return data;
    } catch (err) {
      say(feedback, format(strings.failed, { message: err.message || err.code }), "error");
      return null;
    }
  }

  // --- the phase -------------------------------------------------------------------------

  const clock = followPhase(live, (phase) => {
    const status = phase ? phase.status : "closed";
    $("wsa-status").textContent = `${strings[`status_${status}`] || status}${phase ? ` (${strings[`mode_${phase.mode}`]})` : ""}`;
    $("wsa-open").hidden = status !== "closed";
    $("wsa-running").hidden = status === "closed";
    if (phase) {
      const radio = $(`wsa-mode-${phase.mode}`);
      if (radio) radio.checked = true;
    }
    refreshSoon();
  });
  mountTimer(clock, { output: $("wsa-timer"), alert: $("wsa-alert"), strings });

  function endTime(phase) {
    const date = new Date(phase.ends_at);
    return date.toLocaleTimeString(doc.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
  }

  $("wsa-open").addEventListener("submit", async (event) => {
    event.preventDefault();
    const minutes = Number($("wsa-minutes").value);
    const mode = root.querySelector("input[name='wsa-mode']:checked")?.value || "assigned";
    if (await act("workshops:open", { minutes, mode }, strings.opened)) $("wsa-plus").focus();
  });
  for (const [id, mode] of [["wsa-mode-assigned", "assigned"], ["wsa-mode-choose", "choose"]]) {
    $(id).addEventListener("change", () => act("workshops:mode", { mode }));
  }
  $("wsa-plus").addEventListener("click", () =>
    act("workshops:extend", { minutes: 5 }, (d) => format(strings.extended, { time: endTime(d.phase) })),
  );
  $("wsa-minus").addEventListener("click", () =>
    act("workshops:extend", { minutes: -5 }, (d) => format(strings.extended, { time: endTime(d.phase) })),
  );
  $("wsa-return").addEventListener("click", () => {
    const seconds = Math.max(0, Math.min(600, Number($("wsa-return-seconds").value) || 0));
    act("workshops:return", { seconds }, format(strings.returning_done, { n: seconds }));
  });
  $("wsa-close").addEventListener("click", async () => {
    if (await act("workshops:close", {}, strings.closed)) $("wsa-minutes").focus();
  });
  $("wsa-message").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("wsa-message-text");
    const text = input.value.trim();
    if (!text) {
      say(feedback, strings.empty, "error");
      input.focus();
      return;
    }
    if (await act("announce:post", { text }, strings.sent)) input.value = "";
  });

  // --- the rooms now ---------------------------------------------------------------------

  live.onSnapshot((snapshot) => {
    const part = snapshot.workshops;
    if (!part) return;
    rooms = part.rooms || [];
    renderHelp(part.help || []);
    refreshSoon();
    refreshPeople();
  });
  live.on("workshops:rooms", (payload) => {
    rooms = payload.rooms;
    refreshSoon();
  });
  live.on("workshops:seats", () => refreshSoon());
  live.on("room:presence", () => refreshSoon());
  live.on("workshop:help", () => refreshSoon());
  live.on("workshop:help_answered", () => refreshSoon());

  let overviewTimer = null;
  let lastOverview = 0;
  function refreshSoon() {
    if (overviewTimer) return;
    const wait = Math.max(0, lastOverview + OVERVIEW_MIN_MS - Date.now());
    overviewTimer = setTimeout(refresh, wait);
  }

  async function refresh() {
    overviewTimer = null;
    lastOverview = Date.now();
    const data = await act("workshops:overview", {});
    if (!data) return;
    overview = data.rooms;
    renderRooms();
    renderHelp(overview.flatMap((room) => room.help));
    renderMoveTargets();
  }

  function titleOf(id) {
    const room = overview.find((r) => r.id === id) || rooms.find((r) => r.id === id);
    return room ? room.title : id;
  }

  const rows = new Map(); // room id -> <tr>, kept so keyboard focus stays on its buttons
  function renderRooms() {
    const body = $("wsa-rooms");
    const seen = new Set();
    for (const room of overview) {
      seen.add(room.id);
      const facilitation = room.facilitators.length
        ? room.facilitators.map((f) =>
            el("span", { className: f.present ? "wsa-present-yes" : "wsa-present-no", text: `${f.name} (${f.present ? strings.present_yes : strings.present_no})` }),
          )
        : [el("span", { text: room.facilitator || strings.none })];
      const cells = [
        el("th", { attrs: { scope: "row" }, text: room.title }),
        el("td", {}, facilitation),
        el("td", { className: "num", text: room.present }),
        el("td", { className: "num", text: format(strings.seats, { taken: room.taken, capacity: room.capacity }) }),
        el("td", { className: "num", text: room.waiting }),
        el("td", {}, [peekButton(room), " ", editButton(room), " ", openLink(room), " ", notesLink(room)]),
      ];
      let row = rows.get(room.id);
      if (!row) {
        row = el("tr", { attrs: { "data-room": room.id } });
        rows.set(room.id, row);
      }
      const focused = row.contains(doc.activeElement) ? doc.activeElement.dataset.action : null;
      row.replaceChildren(...cells);
      body.append(row);
      if (focused) row.querySelector(`[data-action="${focused}"]`)?.focus();
    }
    for (const [id, row] of rows) {
      if (!seen.has(id)) {
        row.remove();
        rows.delete(id);
      }
    }
  }

  function peekButton(room) {
    const button = el("button", {
      className: "button-small",
      text: strings.peek,
      attrs: { type: "button", "aria-label": format(strings.peek_label, { title: room.title }), "data-action": "peek" },
    });
    button.addEventListener("click", () => peek(room));
    return button;
  }

  function editButton(room) {
    const button = el("button", {
      className: "button-small",
      text: strings.edit,
      attrs: { type: "button", "aria-label": format(strings.edit_label, { title: room.title }), "data-action": "edit" },
    });
    button.addEventListener("click", () => editRoom(room.id));
    return button;
  }

  function openLink(room) {
    return el("a", {
      className: "button-small",
      text: strings.open_room,
      attrs: {
        href: `/workshop/${encodeURIComponent(room.id)}`,
        target: "_blank",
        rel: "noopener",
        "aria-label": format(strings.open_room_label, { title: room.title }),
        "data-action": "open",
      },
    });
  }

  /** The room's notes to read, with their downloads as Markdown and as a Word document. */
  function notesLink(room) {
    return el("a", {
      className: "button-small",
      text: strings.notes,
      attrs: {
        href: `/workshop/${encodeURIComponent(room.id)}/notes`,
        target: "_blank",
        rel: "noopener",
        "aria-label": format(strings.notes_label, { title: room.title }),
        "data-action": "notes",
      },
    });
  }

  function renderHelp(requests) {
    const list = $("wsa-help-list");
    $("wsa-help-empty").hidden = requests.length > 0;
    list.replaceChildren(
      ...requests.map((request) => {
        const title = titleOf(request.room);
        const answer = el("button", {
          className: "button-small",
          text: strings.help_answer,
          attrs: { type: "button", "aria-label": format(strings.help_answer_label, { title }) },
        });
        answer.addEventListener("click", async () => {
          if (await act("workshops:help_answer", { id: request.id }, strings.answered)) refreshSoon();
        });
        const text = format(strings.help_from, { name: request.person.name, title });
        return el("li", { className: "wsa-help", attrs: { "data-request": request.id } }, [
          el("p", { text: request.message ? `${text}: ${request.message}` : text }),
          answer,
        ]);
      }),
    );
  }

  // --- a look into a room, without leaving the console ---------------------------------

  const peekDialog = $("wsa-peek");
  let peeking = null;
  function peek(room) {
    closePeek();
    $("wsa-peek-title").textContent = room.title;
    $("wsa-peek-open").href = `/workshop/${encodeURIComponent(room.id)}`;
    const log = $("wsa-peek-chat");
    const present = $("wsa-peek-present");
    log.replaceChildren();
    present.textContent = String(room.present);
    const view = connectLive({ room: room.id, chrome: false });
    const line = (m) => el("li", { attrs: { "data-id": m.id } }, [el("strong", { text: m.person.name }), `: ${m.body}`]);
    view.onSnapshot((snapshot) => {
      log.replaceChildren(...(snapshot.chat?.messages || []).slice(-30).map(line));
      present.textContent = String(snapshot.presence?.count ?? room.present);
    });
    view.on("chat:message", (message) => log.append(line(message)));
    view.on("chat:deleted", (payload) => log.querySelector(`[data-id="${CSS.escape(payload.id)}"]`)?.remove());
    view.on("room:presence", (payload) => {
      if (payload.room === room.id) present.textContent = String(payload.count);
    });
    peeking = view;
    peekDialog.showModal();
  }
  function closePeek() {
    if (peeking) peeking.close();
    peeking = null;
  }
  $("wsa-peek-close").addEventListener("click", () => peekDialog.close());
  peekDialog.addEventListener("close", closePeek);

  // --- rooms added or changed live --------------------------------------------------------

  const roomFields = { title: "wsa-room-title", description: "wsa-room-description", facilitator: "wsa-room-facilitator", capacity: "wsa-room-capacity", video_url: "wsa-room-video" };
  let editing = null; // the id of the room the form changes, or null: the form adds one

  /** The form for a new room, or filled with a room's values to change them. */
  function setRoomForm(room) {
    editing = room ? room.id : null;
    for (const [key, id] of Object.entries(roomFields)) {
      $(id).value = room ? (room[key] ?? "") : key === "capacity" ? "40" : "";
    }
    $("wsa-room-summary").textContent = room ? format(strings.edit_room, { title: room.title }) : strings.add_room;
    $("wsa-room-submit").textContent = room ? strings.edit_submit : strings.add_submit;
    $("wsa-room-cancel").hidden = !room;
  }

  function editRoom(id) {
    const room = rooms.find((r) => r.id === id);
    if (!room) return;
    setRoomForm(room);
    $("wsa-room-details").open = true;
    $("wsa-room-title").focus();
  }

  $("wsa-room-cancel").addEventListener("click", () => {
    const id = editing;
    setRoomForm(null);
    rows.get(id)?.querySelector("[data-action='edit']")?.focus();
  });

  $("wsa-room-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(Object.entries(roomFields).map(([key, id]) => [key, $(id).value.trim()]));
    if (!values.title) {
      say(feedback, strings.empty, "error");
      $("wsa-room-title").focus();
      return;
    }
    const changing = editing;
    const saved = await act(
      "workshops:room",
      { ...(changing ? { id: changing } : {}), ...values, capacity: Number(values.capacity) || 40 },
      (d) => format(changing ? strings.room_changed : strings.room_added, { title: d.room.title }),
    );
    if (saved) setRoomForm(null);
  });

  // --- the assignment --------------------------------------------------------------------

  const assigned = (d) => format(strings.assigned, d);
  $("wsa-assign").addEventListener("click", async () => {
    if (await act("workshops:assign", {}, assigned)) refreshPeople();
  });
  $("wsa-reassign").addEventListener("click", async () => {
    if (await act("workshops:assign", { reset: true }, assigned)) refreshPeople();
  });

  $("wsa-import").addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = $("wsa-import-file").files[0];
    const body = new FormData();
    if (file) body.append("file", file);
    try {
      const response = await fetch("/moderator/workshops/seats.csv", { method: "POST", body, credentials: "same-origin" });
      const data = await response.json();
      if (!response.ok) throw new Error((data.errors || []).join(" · "));
      say(feedback, format(strings.imported, { n: data.changed }), "ok");
      refreshPeople();
    } catch (err) {
      say(feedback, format(strings.failed, { message: err.message }), "error");
    }
  });

  async function refreshPeople() {
    const data = await act("workshops:people", {});
    if (!data) return;
    people = data.people;
    renderPeople();
  }
  live.on("workshops:seats", () => {
    if ($("wsa-people-box").open) refreshPeopleSoon();
  });
  let peopleTimer = null;
  function refreshPeopleSoon() {
    clearTimeout(peopleTimer);
    peopleTimer = setTimeout(refreshPeople, 500);
  }
  $("wsa-people-box").addEventListener("toggle", () => {
    if ($("wsa-people-box").open) refreshPeople();
  });

  const selected = new Set();
  function seatText(seat) {
    if (!seat) return strings.no_seat;
    return seat.waiting ? format(strings.waiting_for, { title: titleOf(seat.room) }) : titleOf(seat.room);
  }

  function renderPeople() {
    const filter = $("wsa-filter").value.trim().toLowerCase();
    const shown = people.filter((p) => !filter || `${p.name} ${p.organisation}`.toLowerCase().includes(filter));
    $("wsa-people").replaceChildren(
      ...shown.map((person) => {
        const box = el("input", {
          attrs: { type: "checkbox", "aria-label": format(strings.select_label, { name: person.name }), checked: selected.has(person.id) },
        });
        box.addEventListener("change", () => (box.checked ? selected.add(person.id) : selected.delete(person.id)));
        return el("tr", { attrs: { "data-person": person.id } }, [
          el("td", {}, [box]),
          el("th", { attrs: { scope: "row" } }, [person.name, person.organisation ? el("span", { className: "person-org", text: person.organisation }) : null]),
          el("td", { text: person.first ? titleOf(person.first) : strings.none }),
          el("td", { text: person.second ? titleOf(person.second) : strings.none }),
          el("td", { text: seatText(person.seat) }),
        ]);
      }),
    );
  }
  $("wsa-filter").addEventListener("input", renderPeople);

  function renderMoveTargets() {
    const select = $("wsa-move-to");
    const current = select.value;
    select.replaceChildren(
      ...overview.map((room) => el("option", { text: room.title, attrs: { value: room.id } })),
      el("option", { text: strings.no_room, attrs: { value: "" } }),
    );
    if (current) select.value = current;
  }

  $("wsa-move").addEventListener("click", async () => {
    if (selected.size === 0) {
      say(feedback, strings.nobody_selected, "error");
      return;
    }
    const room = $("wsa-move-to").value || null;
    const result = await act("workshops:move", { people: [...selected], room });
    if (!result) return;
    const parts = [format(strings.moved, { n: result.moved.length })];
    if (result.refused.length) parts.push(format(strings.refused, { n: result.refused.length }));
    say(feedback, parts.join(" "), result.refused.length ? "error" : "ok");
    selected.clear();
    refreshPeople();
  });

  return { refresh };
}
