// A workshop's room page: its chat, presence, timer, help, polls, and (for its facilitator
// and moderators) who is here. Participants go back to the plenary when the phase ends.
import { mountPresenceCount } from "./lib/agenda-ui.js";
import { mountChat } from "./lib/chat-ui.js";
import { mountGalleryFacilitator } from "./lib/gallery-ui.js";
import { connectLive } from "./lib/live.js";
import { el, format, pageData, say } from "./lib/page.js";
import { mountNotes } from "./lib/notes-ui.js";
import { mountPollsModerator, mountPollsParticipant } from "./lib/polls-ui.js";
import { followPhase, mountTimer } from "./lib/workshops-phase.js";

const data = pageData("workshop-data");
const strings = data.strings || {};
const room = data.room;
const live = connectLive({ room });
const alertBox = document.getElementById("workshop-alert");
const LEAVE_DELAY_MS = 3000;

let leaving = false;
function leaveFor(url, text) {
  if (leaving) return;
  leaving = true;
  if (alertBox) {
    alertBox.textContent = text;
    alertBox.hidden = false;
  }
  setTimeout(() => window.location.assign(url), LEAVE_DELAY_MS);
}

mountPresenceCount(live, document, room, () => refreshPeople());
mountChat(live, document, { room, moderation: data.manager ? moderation() : null });
if (data.manager) mountPollsModerator(live, document);
if (data.manager) mountGalleryFacilitator(live, document, { notesText: () => (notes ? notes.text : "") });
else mountPollsParticipant(live, document);
let notes = null;
live.onSnapshot(() => {
  if (!notes) notes = mountNotes(live, document, {
    room,
    manager: data.manager,
    styleNonce: data.style_nonce,
    strings: strings.notes || {},
  });
});

// --- the phase and its timer ------------------------------------------------------------

const clock = followPhase(live, (phase, previous) => {
  const ended = phase && phase.status === "closed" && previous && previous.status !== "closed";
  if (ended && data.participant) leaveFor("/plenary", strings.closed);
});
mountTimer(clock, {
  output: document.getElementById("workshop-timer"),
  alert: alertBox,
  strings: { ...strings, ended: data.participant ? strings.closed : strings.closed_host },
  onTick(phase, left) {
    const running = Boolean(phase && phase.status !== "closed");
    document.getElementById("workshop-timer-line").hidden = !running;
    document.getElementById("workshop-not-started").hidden = running;
    if (data.participant && phase && phase.status === "returning" && left === 0) {
      leaveFor("/plenary", strings.closed);
    }
  },
});

// a participant whose seat moved goes to the new room; one who may not be here goes back
live.on("workshops:seat", (notice) => {
  if (!data.participant || !notice.seat || notice.seat.room === room) return;
  const target = notice.seat.waiting ? "/plenary" : `/workshop/${encodeURIComponent(notice.seat.room)}`;
  leaveFor(target, strings.moved);
});
live.onStatus((state, detail) => {
  const code = detail && detail.code;
  if (state === "error" && (code === "room.closed" || code === "room.not_yours")) {
    leaveFor("/plenary", strings.closed);
  }
});

// --- the video room: opened only after reading where it sends data -----------------------

const reveal = document.getElementById("video-reveal");
const consent = document.getElementById("video-consent");
if (reveal && consent) {
  reveal.addEventListener("click", () => {
    consent.hidden = !consent.hidden;
    reveal.setAttribute("aria-expanded", String(!consent.hidden));
  });
}

// --- help ----------------------------------------------------------------------------------

const helpButton = document.getElementById("help-request");
const helpStatus = document.getElementById("help-status");
helpButton.addEventListener("click", async () => {
  helpButton.disabled = true;
  try {
    await live.call("workshop:help", { room });
    say(helpStatus, strings.help_sent, "ok");
  } catch (err) {
    say(helpStatus, format(strings.help_failed, { message: err.message || err.code }), "error");
  } finally {
    helpButton.disabled = false;
  }
});
live.on("workshop:help_answered", (payload) => {
  if (payload.room === room) say(helpStatus, format(strings.help_answered, { name: payload.by }), "ok");
});
live.on("workshop:help", (payload) => {
  if (payload.room === room && data.manager) say(helpStatus, strings.help_sent, "ok");
});

// --- who is here (facilitator, moderators) -------------------------------------------------

const peopleList = document.getElementById("workshop-people");
let peopleTimer = null;
function refreshPeople() {
  if (!peopleList || peopleTimer) return;
  peopleTimer = setTimeout(async () => {
    peopleTimer = null;
    try {
      const listed = await live.call("presence:list", { room });
      const items = listed.people.map((p) =>
        el("li", { attrs: { "data-person": p.id } }, [
          el("span", { className: "person-name", text: p.name }),
          p.organisation ? el("span", { className: "person-org", text: p.organisation }) : null,
          el("span", { className: "person-role", text: (strings.roles || {})[p.role] || p.role }),
        ]),
      );
      peopleList.replaceChildren(...(items.length ? items : [el("li", { text: strings.nobody })]));
    } catch {
      // the next presence change tries again
    }
  }, 300);
}

/** Facilitators delete messages of their room (muting and removing stay the console's). */
function moderation() {
  return {
    async deleteMessage(message) {
      try {
        await live.call("chat:delete", { room, id: message.id });
      } catch (err) {
        say(helpStatus, format(strings.failed, { message: err.message || err.code }), "error");
      }
    },
  };
}

window.conferenceLive = live;
window.conferenceNotes = () => notes; // for browser tests
