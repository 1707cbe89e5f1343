// The workshops as a participant sees them in the plenary: "your workshop", the choice of
// rooms with free seats, and when the phase opens a call to go there, with a short countdown.
import { el, format, pageData, say } from "./page.js";
import { followPhase } from "./workshops-phase.js";

const CALL_SECONDS = 10;

function freeSeats(strings, n) {
  return format(strings.free, { n }); // the form for n: plural_forms in the template
}

export function mountWorkshopsParticipant(live, doc) {
  const root = doc.getElementById("workshops");
  if (!root) return null;
  const strings = pageData("workshops-data").strings || {};
  const mine = doc.getElementById("workshops-mine");
  const chooseBox = doc.getElementById("workshops-choose");
  const choices = doc.getElementById("workshops-choices");
  const feedback = doc.getElementById("workshops-feedback");
  const call = doc.getElementById("workshop-call");
  const callText = doc.getElementById("workshop-call-text");
  const callSeconds = doc.getElementById("workshop-call-seconds");
  const callGo = doc.getElementById("workshop-call-go");
  const callStay = doc.getElementById("workshop-call-stay");

  let rooms = [];
  let seat = null;
  let counts = {};
  let callTimer = null;
  let callFor = null; // the room and phase the call is about
  const participant = () => live.me && live.me.role === "participant";

  const clock = followPhase(live, () => render());

  live.onSnapshot((snapshot) => {
    const part = snapshot.workshops;
    if (!part) return;
    rooms = part.rooms || [];
    seat = part.seat || null;
    counts = Object.fromEntries(rooms.map((r) => [r.id, r]));
    render();
  });
  live.on("workshops:rooms", (payload) => {
    rooms = payload.rooms.map((r) => ({ ...r, ...(counts[r.id] || {}) }));
    render();
  });
  live.on("workshops:seats", (payload) => {
    counts = payload.rooms || {};
    rooms = rooms.map((r) => ({ ...r, ...(counts[r.id] || {}) }));
    renderChoices();
  });
  live.on("workshops:seat", (notice) => {
    if (!live.me || notice.person_id !== live.me.id) return;
    const moved = !seat || !notice.seat || seat.room !== notice.seat.room;
    seat = notice.seat;
    render(moved ? "moved" : null);
  });

  function titleOf(id) {
    const room = rooms.find((r) => r.id === id);
    return room ? room.title : id;
  }

  function mayChoose() {
    const phase = clock.phase;
    if (!participant() || !phase) return false;
    return phase.mode === "choose" || (phase.status !== "closed" && (!seat || seat.waiting));
  }

  function render(reason = null) {
    root.hidden = rooms.length === 0 || !participant();
    if (root.hidden) return hideCall();
    renderMine();
    renderChoices();
    renderCall(reason);
  }

  function renderMine() {
    const items = [];
    if (seat && !seat.waiting) {
      const room = rooms.find((r) => r.id === seat.room);
      items.push(el("p", { className: "workshops-yours" }, [el("strong", { text: strings.yours }), " ", titleOf(seat.room)]));
      if (room && room.description) items.push(el("p", { className: "workshops-description", text: room.description }));
      if (room && room.facilitator) items.push(el("p", { text: `${strings.facilitation} ${room.facilitator}` }));
      if (clock.phase && clock.phase.status !== "closed") {
        items.push(el("p", {}, [el("a", { className: "button", text: strings.go, attrs: { href: roomUrl(seat.room) } })]));
      } else if (clock.phase && clock.phase.closed_at) {
        // after the workshops: their notes stay readable for the room's people
        const notes = `${roomUrl(seat.room)}/notes`;
        items.push(el("p", {}, [el("a", { text: strings.notes, attrs: { href: notes } })]));
      }
    } else if (seat && seat.waiting) {
      items.push(el("p", { text: format(strings.waiting, { title: titleOf(seat.room), n: seat.position || 1 }) }));
    } else {
      items.push(el("p", { text: strings.none }));
      if (!mayChoose()) items.push(el("p", { text: strings.assigned_later }));
    }
    mine.replaceChildren(...items);
  }

  function renderChoices() {
    const show = mayChoose();
    chooseBox.hidden = !show;
    if (!show) return;
    choices.replaceChildren(
      ...rooms.map((room) => {
        const free = room.free ?? Math.max(0, (room.capacity || 0) - (room.taken || 0));
        const isMine = seat && !seat.waiting && seat.room === room.id;
        const button = el("button", {
          className: "button-small",
          text: isMine ? strings.chosen : strings.choose,
          attrs: { type: "button", "aria-label": format(strings.choose_label, { title: room.title }), disabled: isMine || free <= 0 },
        });
        button.addEventListener("click", () => choose(room));
        return el("li", { className: "workshops-choice", attrs: { "data-room": room.id } }, [
          el("span", { className: "workshops-choice-title", text: room.title }),
          el("span", { className: "workshops-choice-free", text: free > 0 ? freeSeats(strings, free) : strings.full }),
          button,
        ]);
      }),
    );
  }

  async function choose(room) {
    try {
      const result = await live.call("workshop:choose", { room: room.id });
      seat = result.seat;
      say(feedback, format(strings.taken, { title: room.title }), "ok");
      render("moved");
    } catch (err) {
      say(feedback, format(strings.failed, { message: err.message || err.code }), "error");
    }
  }

  // --- the call to go, when the phase runs and the person has a seat ---------------------

  function roomUrl(id) {
    return `/workshop/${encodeURIComponent(id)}`;
  }

  function stayKey() {
    return `workshop-stay:${clock.phase && clock.phase.opened_at}`;
  }

  function renderCall(reason) {
    const phase = clock.phase;
    const running = phase && phase.status === "open";
    if (!running || !seat || seat.waiting) return hideCall();
    const key = `${phase.opened_at}|${seat.room}`;
    if (callFor === key && reason !== "moved") return;
    callFor = key;
    const title = titleOf(seat.room);
    callText.textContent = format(reason === "moved" ? strings.call_moved : strings.call_open, { title });
    callGo.href = roomUrl(seat.room);
    call.hidden = false;
    clearInterval(callTimer);
    let stayed = false;
    try {
      stayed = sessionStorage.getItem(stayKey()) === seat.room && reason !== "moved";
    } catch {
      stayed = false;
    }
    if (stayed) {
      callSeconds.textContent = strings.call_stayed;
      callStay.hidden = true;
      return;
    }
    callStay.hidden = false;
    let left = CALL_SECONDS;
    callSeconds.textContent = format(strings.call_seconds, { n: left });
    callTimer = setInterval(() => {
      left -= 1;
      callSeconds.textContent = format(strings.call_seconds, { n: Math.max(0, left) });
      if (left <= 0) {
        clearInterval(callTimer);
        window.location.assign(roomUrl(seat.room));
      }
    }, 1000);
  }

  function hideCall() {
    clearInterval(callTimer);
    callFor = null;
    if (call) call.hidden = true;
  }

  callStay.addEventListener("click", () => {
    clearInterval(callTimer);
    try {
      sessionStorage.setItem(stayKey(), seat ? seat.room : "");
    } catch {
      // a browser without storage: the call comes again after a reload
    }
    callSeconds.textContent = strings.call_stayed;
    callStay.hidden = true;
    callGo.focus();
  });

  return { get seat() { return seat; } };
}
