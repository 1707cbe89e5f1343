// The agenda list with the current item marked; follows agenda:current live.
export function mountAgenda(live, doc) {
  const list = doc.getElementById("agenda-list");
  let current = null;

  function mark(itemId) {
    current = itemId || null;
    if (!list) return;
    for (const item of list.querySelectorAll(".agenda-item")) {
      const isCurrent = item.dataset.item === current;
      item.classList.toggle("is-current", isCurrent);
      if (isCurrent) item.setAttribute("aria-current", "step");
      else item.removeAttribute("aria-current");
      const now = item.querySelector(".agenda-now");
      if (now) now.hidden = !isCurrent;
    }
  }

  live.onSnapshot((snapshot) => mark(snapshot.event && snapshot.event.current_item));
  live.on("agenda:current", (payload) => mark(payload.current_item));
  return {
    get current() {
      return current;
    },
  };
}

/** The live number of people present in `room`. */
export function mountPresenceCount(live, doc, room, onChange = () => {}) {
  const output = doc.getElementById("presence-count");
  function show(count) {
    if (output) output.textContent = String(count);
    onChange(count);
  }
  live.onSnapshot((snapshot) => show((snapshot.presence && snapshot.presence.count) || 0));
  live.on("room:presence", (payload) => {
    if (payload.room === room) show(payload.count);
  });
}
