// The results gallery: the plenary's cards (one per workshop, upvote once per result, ordered
// by votes live), the facilitator's form for up to three key results, and the presenter's view.
import { el, format, pageData, say } from "./page.js";

/** "1 vote", "2 votes": `votes` holds the plural forms (plural_forms in the template), or, from
 * a page that passes two strings, `vote_one` and `votes`. */
function votesText(strings, n) {
  if (strings.votes && typeof strings.votes === "object") return format(strings.votes, { n });
  return format(n === 1 ? strings.vote_one : strings.votes, { n });
}

function byVotes(a, b) {
  return b.votes - a.votes || a.position - b.position;
}

/** Cards ordered by their votes, results in each by theirs. */
export function ordered(cards) {
  for (const card of cards) {
    card.results.sort(byVotes);
    card.votes = card.results.reduce((sum, r) => sum + r.votes, 0);
  }
  return [...cards].sort((a, b) => b.votes - a.votes || a.position - b.position);
}

/** Keep `cards` (a Map by room) in step with gallery:card and gallery:votes. */
function follow(source, cards, render) {
  source.on("gallery:card", (data) => {
    cards.set(data.card.room, data.card);
    render();
  });
  source.on("gallery:votes", (data) => {
    const card = cards.get(data.workshop);
    const result = card && card.results.find((r) => r.id === data.id);
    if (!result) return;
    result.votes = data.votes;
    render();
  });
}

/** Put `items` into `list` in order, moving nodes only where needed; focus stays. */
function arrange(list, items) {
  const focused = list.contains(document.activeElement) ? document.activeElement : null;
  items.forEach((item, index) => {
    if (list.children[index] !== item) list.insertBefore(item, list.children[index] || null);
  });
  for (const child of [...list.children]) if (!items.includes(child)) child.remove();
  if (focused && document.activeElement !== focused && list.contains(focused)) focused.focus({ preventScroll: true });
}

/** The plenary's gallery. */
export function mountGalleryParticipant(live, doc) {
  const root = doc.getElementById("gallery");
  const list = doc.getElementById("gallery-cards");
  if (!root || !list) return null;
  const strings = pageData("gallery-data").strings || {};
  const feedback = doc.getElementById("gallery-feedback");
  const cards = new Map();
  const cardNodes = new Map();
  const resultNodes = new Map();
  let upvoted = new Set();

  function resultItem(result) {
    let v = resultNodes.get(result.id);
    if (!v) {
      const text = el("p", { className: "gallery-text" });
      const votes = el("span", { className: "gallery-votes" });
      const up = el("button", { className: "button-small gallery-upvote", attrs: { type: "button", "aria-pressed": "false" } });
      up.addEventListener("click", () => upvote(result.id));
      const li = el("li", { className: "gallery-result", attrs: { "data-result-id": result.id } }, [
        text,
        el("div", { className: "gallery-actions" }, [votes, up]),
      ]);
      v = { li, text, votes, up };
      resultNodes.set(result.id, v);
    }
    v.text.textContent = result.text;
    v.votes.textContent = votesText(strings, result.votes);
    const voted = upvoted.has(result.id);
    v.up.textContent = voted ? strings.upvoted : strings.upvote;
    v.up.disabled = voted;
    v.up.setAttribute("aria-pressed", voted ? "true" : "false");
    v.up.setAttribute("aria-label", `${v.up.textContent}: ${result.text.slice(0, 80)}`);
    return v.li;
  }

  function cardItem(card) {
    let v = cardNodes.get(card.room);
    if (!v) {
      const title = el("h3", { className: "gallery-title" });
      const host = el("p", { className: "gallery-host" });
      const results = el("ol", { className: "gallery-results" });
      const li = el("li", { className: "gallery-card", attrs: { "data-room": card.room } }, [title, host, results]);
      v = { li, title, host, results };
      cardNodes.set(card.room, v);
    }
    v.title.textContent = card.title;
    v.host.textContent = card.facilitator ? `${strings.facilitation} ${card.facilitator}` : "";
    v.host.hidden = !card.facilitator;
    arrange(v.results, card.results.map((r) => resultItem(r)));
    return v.li;
  }

  function render() {
    const sorted = ordered([...cards.values()]);
    arrange(list, sorted.map((card) => cardItem(card)));
    root.hidden = sorted.length === 0;
  }

  async function upvote(id) {
    try {
      const data = await live.call("gallery:upvote", { id });
      upvoted.add(id);
      for (const card of cards.values()) {
        const result = card.results.find((r) => r.id === id);
        if (result) result.votes = Math.max(result.votes, data.votes);
      }
      say(feedback, strings.thanks, "ok");
    } catch (err) {
      if (err.code === "gallery.already_upvoted") upvoted.add(id);
      say(feedback, format(strings.failed, { message: err.message || err.code }), "error");
    }
    render();
  }

  live.onSnapshot((snapshot) => {
    const gallery = (snapshot && snapshot.gallery) || {};
    cards.clear();
    for (const card of gallery.cards || []) cards.set(card.room, card);
    upvoted = new Set(gallery.upvoted || []);
    render();
  });
  follow(live, cards, render);
  return { cards };
}

const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+(.*\S)\s*$/;
const HEADING = /^#{1,6}\s+(.*?)\s*$/;

/** Key results the notes hold: the list items of the sections whose heading starts with
 * `heading` (the template's "Ergebnisse"), or, without such a section, of the whole notes;
 * the first `count`. */
export function resultsFromNotes(text, heading, count = 3) {
  const wanted = String(heading || "").trim().toLowerCase();
  const inSection = [];
  const anywhere = [];
  let inside = false;
  for (const line of String(text || "").split("\n")) {
    const title = HEADING.exec(line);
    if (title) {
      inside = Boolean(wanted) && title[1].toLowerCase().startsWith(wanted);
      continue;
    }
    const item = LIST_ITEM.exec(line)?.[1];
    if (!item) continue;
    anywhere.push(item);
    if (inside) inSection.push(item);
  }
  return (inSection.length ? inSection : anywhere).slice(0, count);
}

/** A workshop's key results, for its facilitators (and moderators looking in).
 * @param {{notesText?: () => string}} options `notesText`: the room's notes as they stand */
export function mountGalleryFacilitator(live, doc, { notesText = () => "" } = {}) {
  const form = doc.getElementById("gallery-form");
  if (!form) return null;
  const strings = pageData("gallery-form-data").strings || {};
  const inputs = [...form.querySelectorAll("input[name=result]")];
  const publish = doc.getElementById("gallery-publish");
  const fromNotes = doc.getElementById("gallery-from-notes");
  const state = doc.getElementById("gallery-state");
  const feedback = doc.getElementById("gallery-form-feedback");
  let published = false;

  function show(results) {
    published = results.some((r) => r.published_at);
    const byPosition = new Map(results.map((r) => [r.position, r]));
    inputs.forEach((input, index) => {
      const result = byPosition.get(index + 1);
      if (doc.activeElement !== input) input.value = result ? result.text : "";
    });
    state.textContent = published ? strings.published : results.length ? strings.saved : strings.empty;
    publish.hidden = published;
  }

  function texts() {
    return inputs.map((input) => input.value.trim()).filter(Boolean);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const data = await live.call("gallery:save", { room: live.room, results: texts() });
      show(data.results);
      say(feedback, published ? strings.saved_published : strings.saved_done, "ok");
    } catch (err) {
      say(feedback, format(strings.failed, { message: err.message || err.code }), "error");
    }
  });
  if (fromNotes) {
    fromNotes.addEventListener("click", () => {
      const found = resultsFromNotes(notesText(), strings.results_heading, inputs.length);
      if (!found.length) {
        say(feedback, format(strings.none_in_notes, { heading: strings.results_heading }), "error");
        return;
      }
      found.forEach((text, index) => {
        inputs[index].value = text.slice(0, Number(inputs[index].maxLength) || 280);
      });
      say(feedback, format(strings.from_notes, { n: found.length }), "ok");
      inputs[0].focus();
    });
  }
  publish.addEventListener("click", async () => {
    try {
      if (texts().length) await live.call("gallery:save", { room: live.room, results: texts() });
      const data = await live.call("gallery:publish", { room: live.room });
      show(data.results);
      say(feedback, strings.published_done, "ok");
    } catch (err) {
      say(feedback, format(strings.failed, { message: err.message || err.code }), "error");
    }
  });
  live.onSnapshot((snapshot) => show(((snapshot && snapshot.gallery) || {}).results || []));
  live.on("gallery:changed", (data) => {
    if (data.room === live.room) show(data.results);
  });
  return { show };
}

/** The presenter view's gallery: its cards, shown when the stage says so (presenter.js). */
export function mountGalleryPresenter(socket, root, strings) {
  const list = root.querySelector(".presenter-gallery-cards");
  const cards = new Map();

  function render() {
    list.replaceChildren(
      ...ordered([...cards.values()]).map((card) =>
        el("li", { className: "presenter-gallery-card", attrs: { "data-room": card.room } }, [
          el("h3", { text: card.title }),
          el(
            "ol",
            {},
            card.results.map((r) =>
              el("li", { attrs: { "data-result-id": r.id } }, [
                el("span", { className: "presenter-gallery-text", text: r.text }),
                el("span", { className: "presenter-gallery-votes", text: votesText(strings, r.votes) }),
              ]),
            ),
          ),
        ]),
      ),
    );
  }

  follow(socket, cards, render);
  return {
    /** The cards as presenter:join gave them. */
    show(found) {
      cards.clear();
      for (const card of found || []) cards.set(card.room, card);
      render();
    },
  };
}
