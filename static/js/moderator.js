// The moderator console: agenda, announcements, who is present, and the plenary chat with
// delete, mute and remove.
import { mountAgenda, mountPresenceCount } from "./lib/agenda-ui.js";
import { mountChat } from "./lib/chat-ui.js";
import { mountConsoleTabs, mountLiveFigures } from "./lib/console-ui.js";
import { connectLive } from "./lib/live.js";
import { el, format, pageData, say } from "./lib/page.js";
import { mountPollsModerator } from "./lib/polls-ui.js";
import { mountQaModerator } from "./lib/qa-ui.js";
import { mountReport } from "./lib/report-ui.js";
import { mountStageConsole } from "./lib/stage-console.js";
import { mountWorkshopsConsole } from "./lib/workshops-console.js";

const data = pageData("moderator-data");
const strings = data.strings || {};
const room = data.room || "plenary";
const live = connectLive({ room });
const feedback = document.getElementById("console-feedback");
mountStageConsole(live, document); // "on the stream now"

function done(text) {
  say(feedback, text, "ok");
}

function failed(err) {
  say(feedback, format(strings.failed, { message: err.message || err.code }), "error");
}

async function act(event, payload, message) {
  try {
    const result = await live.call(event, payload);
    if (message) done(typeof message === "function" ? message(result) : message);
    return result;
  } catch (err) {
    failed(err);
    return null;
  }
}

// --- agenda ----------------------------------------------------------------------------

function itemTitle(id) {
  const node = document.querySelector(`.agenda-item[data-item="${CSS.escape(id || "")}"] .agenda-title`);
  return node ? node.textContent : id;
}

function agendaMessage(result) {
  return result.current_item ? format(strings.agenda_set, { title: itemTitle(result.current_item) }) : strings.agenda_none;
}

const agendaCurrent = document.getElementById("agenda-current-title");
function showCurrentItem(id) {
  if (agendaCurrent) agendaCurrent.textContent = id ? itemTitle(id) : strings.agenda_none;
}
mountAgenda(live, document);
live.onSnapshot((snapshot) => showCurrentItem(snapshot.event && snapshot.event.current_item));
live.on("agenda:current", (payload) => showCurrentItem(payload.current_item));
document.getElementById("agenda-previous").addEventListener("click", () => act("agenda:set", { step: -1 }, agendaMessage));
document.getElementById("agenda-next").addEventListener("click", () => act("agenda:set", { step: 1 }, agendaMessage));
for (const button of document.querySelectorAll("button.agenda-set")) {
  button.addEventListener("click", () => act("agenda:set", { item: button.dataset.item }, agendaMessage));
}

// --- announcements ---------------------------------------------------------------------

const announceForm = document.getElementById("announce-form");
const announceInput = document.getElementById("announce-input");
const announceCurrent = document.getElementById("announce-current");
const announceEmpty = document.getElementById("announce-current-empty");

function showCurrentAnnouncement(announcement) {
  const text = announcement && announcement.text;
  announceCurrent.textContent = text || "";
  announceCurrent.hidden = !text;
  announceEmpty.hidden = Boolean(text);
}

live.onSnapshot((snapshot) => showCurrentAnnouncement(snapshot.event && snapshot.event.announcement));
live.on("announce:current", (payload) => showCurrentAnnouncement(payload.announcement));
announceForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = announceInput.value.trim();
  if (!text) {
    say(feedback, strings.empty, "error");
    announceInput.focus();
    return;
  }
  if (await act("announce:post", { text }, strings.announced)) announceInput.value = "";
});
document.getElementById("announce-clear").addEventListener("click", () => act("announce:clear", {}, strings.cleared));

// --- people ----------------------------------------------------------------------------

const peopleList = document.getElementById("people-list");
const dialog = document.getElementById("remove-dialog");
const dialogText = document.getElementById("remove-dialog-text");
let removing = null;

const moderation = {
  async deleteMessage(message) {
    // keep keyboard users in the chat: the focused message goes away
    const item = document.querySelector(`.chat-message[data-id="${CSS.escape(message.id)}"]`);
    const neighbour = item && (item.nextElementSibling || item.previousElementSibling);
    const hadFocus = item && item.contains(document.activeElement);
    const result = await act("chat:delete", { room, id: message.id }, strings.deleted);
    if (result && hadFocus) {
      const target = (neighbour && neighbour.querySelector(".chat-delete")) || document.getElementById("chat-scroll");
      if (target) target.focus();
    }
  },
  async mute(person, muted) {
    const result = await act("person:mute", { person_id: person.id, muted }, format(muted ? strings.muted : strings.unmuted, { name: person.name }));
    if (result) setMuted(person.id, result.muted);
  },
  remove(person) {
    removing = person;
    dialogText.textContent = format(strings.remove_text, { name: person.name, organisation: person.organisation || "–" });
    dialog.showModal();
    document.getElementById("remove-cancel").focus();
  },
};

document.getElementById("remove-cancel").addEventListener("click", () => dialog.close());
dialog.addEventListener("close", () => {
  removing = null;
});
document.getElementById("remove-confirm").addEventListener("click", async () => {
  const person = removing;
  dialog.close();
  if (!person) return;
  if (await act("person:remove", { person_id: person.id }, format(strings.removed, { name: person.name }))) {
    document.getElementById("people-title").focus();
    refreshPeople();
  }
});

const chat = mountChat(live, document, { room, moderation });

function setMuted(personId, muted) {
  if (chat) chat.setPersonMuted(personId, muted);
  if (lastPeople.some((p) => p.id === personId)) renderPeople(lastPeople.map((p) => (p.id === personId ? { ...p, muted } : p)));
}
live.on("person:muted", (payload) => setMuted(payload.person_id, payload.muted));

let lastPeople = [];
const rows = new Map(); // person id -> {row, key}: rows are kept, so keyboard focus stays put
const chatStrings = pageData("chat-data").strings || {};

function personRow(person) {
  const row = el("li", { attrs: { "data-person": person.id } }, [
    el("span", { className: "person-name", text: person.name }),
    person.organisation ? el("span", { className: "person-org", text: person.organisation }) : null,
    el("span", { className: "person-role", text: (strings.roles || {})[person.role] || person.role }),
    person.muted ? el("span", { className: "person-muted", text: strings.muted_badge }) : null,
  ]);
  if (person.role !== "moderator" && person.role !== "admin") {
    const action = person.muted ? chatStrings.unmute : chatStrings.mute;
    const mute = el("button", {
      className: "button-small person-mute",
      text: action,
      attrs: { type: "button", "aria-label": format(chatStrings.person_label, { action, name: person.name }) },
    });
    mute.addEventListener("click", () => moderation.mute(person, !person.muted));
    const remove = el("button", {
      className: "button-small button-danger person-remove",
      text: chatStrings.remove,
      attrs: {
        type: "button",
        "aria-label": format(chatStrings.person_label, { action: chatStrings.remove, name: person.name }),
      },
    });
    remove.addEventListener("click", () => moderation.remove(person));
    row.append(el("div", { className: "chat-actions" }, [mute, remove]));
  }
  return row;
}

function renderPeople(people) {
  lastPeople = people;
  const nobody = peopleList.querySelector("li.nobody");
  if (people.length === 0) {
    rows.clear();
    peopleList.replaceChildren(el("li", { className: "nobody", text: strings.nobody }));
    return;
  }
  if (nobody) nobody.remove();
  const seen = new Set(people.map((person) => person.id));
  for (const [id, entry] of rows) {
    if (!seen.has(id)) {
      entry.row.remove();
      rows.delete(id);
    }
  }
  let cursor = peopleList.firstElementChild;
  for (const person of people) {
    if (chat) chat.mutedPeople.set(person.id, Boolean(person.muted));
    const key = JSON.stringify([person.name, person.organisation, person.role, Boolean(person.muted)]);
    let entry = rows.get(person.id);
    if (!entry || entry.key !== key) {
      const row = personRow(person);
      if (entry) {
        const focused = entry.row.contains(document.activeElement) && document.activeElement.classList[1];
        if (cursor === entry.row) cursor = row;
        entry.row.replaceWith(row);
        if (focused) row.querySelector(`button.${focused}`)?.focus();
      }
      entry = { row, key };
      rows.set(person.id, entry);
    }
    if (entry.row === cursor) cursor = cursor.nextElementSibling;
    else peopleList.insertBefore(entry.row, cursor);
  }
}

let refreshTimer = null;
async function refreshPeople() {
  try {
    const result = await live.call("presence:list", { room });
    renderPeople(result.people || []);
    const registered = document.getElementById("live-registered");
    if (registered && result.registered !== undefined) {
      registered.textContent = format(strings.registered, { registered: result.registered, n: result.capacity });
    }
  } catch (err) {
    failed(err);
  }
}

function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refreshPeople, 300);
}

live.onSnapshot(() => refreshSoon());
mountPresenceCount(live, document, room, refreshSoon);

const tabs = mountConsoleTabs(document, document.getElementById("console-sections"));
const polls = mountPollsModerator(live, document);
const questions = mountQaModerator(live, document);
mountWorkshopsConsole(live, document);
mountReport(live, document);
mountLiveFigures(live, document, { polls: polls && polls.polls, questions: questions && questions.questions, tabs });
window.conferenceLive = live; // for debugging in the console and for browser tests
