// Reaction buttons: one reaction:send per click; the room's counts arrive aggregated about
// once a second (reaction:burst) and show briefly on each button.
const SHOW_MS = 2500;

export function mountReactions(live, doc, room) {
  const buttons = [...doc.querySelectorAll("button.reaction[data-emoji]")];
  const timers = new Map();

  for (const button of buttons) {
    button.addEventListener("click", async () => {
      button.classList.remove("sent");
      void button.offsetWidth; // restart the animation
      button.classList.add("sent");
      try {
        await live.call("reaction:send", { room, emoji: button.dataset.emoji });
      } catch {
        // a lost reaction is not worth a message; rate limits apply to bursts of clicks
      }
    });
  }

  live.on("reaction:burst", (payload) => {
    if (payload.room !== room || !payload.counts) return;
    for (const button of buttons) {
      const count = payload.counts[button.dataset.emoji];
      if (!count) continue;
      const badge = button.querySelector(".reaction-count");
      badge.textContent = `+${count}`;
      button.classList.remove("burst");
      void button.offsetWidth;
      button.classList.add("burst");
      clearTimeout(timers.get(button));
      timers.set(
        button,
        setTimeout(() => {
          button.classList.remove("burst");
          badge.textContent = "";
        }, SHOW_MS),
      );
    }
  });
}
