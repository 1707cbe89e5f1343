// Polls on the plenary (vote by keyboard in a form, results as text and bars) and in the
// moderator console (create, open, close, reopen, reveal, delete, show open answers, export).
import { mountAlerts, warnings } from "./alerts.js";
import { el, format, pageData, say } from "./page.js";
import { remaining, renderResults, summary } from "./poll-results.js";

const ANNOUNCE_EVERY_MS = 5000; // result updates are announced politely, not on every change
const AFTER_VOTE_REFRESH_MS = 4000;

function pollsOf(snapshot) {
  return (snapshot && snapshot.polls && snapshot.polls.polls) || [];
}

/** A throttled polite announcer for one live region. */
function announcer(region) {
  let last = 0;
  let timer = null;
  let pending = "";
  return (text, urgent = false) => {
    pending = text;
    const wait = urgent ? 0 : Math.max(0, last + ANNOUNCE_EVERY_MS - Date.now());
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      last = Date.now();
      say(region, pending);
    }, wait);
  };
}

function statusText(poll, strings) {
  if (poll.status === "open") return strings.status_open;
  if (poll.status === "closed") return strings.status_closed;
  return strings.status_draft;
}

function answerText(poll, answer, strings) {
  if (!answer) return "";
  if (answer.options) {
    const labels = new Map(poll.options.map((o) => [o.id, o.label]));
    return answer.options.map((id) => labels.get(id) || id).join(", ");
  }
  if (answer.words) return answer.words.join(", ");
  if (answer.rating !== undefined) return String(answer.rating);
  return answer.text || "";
}

/** The voting form of one poll: radios, checkboxes, text fields or a textarea. */
function voteForm(poll, strings, onVote) {
  const id = `poll-${poll.id}`;
  const form = el("form", { className: "poll-form", attrs: { novalidate: true } });
  const fieldset = el("fieldset", {}, [el("legend", { className: "visually-hidden", text: poll.question })]);
  const settings = poll.settings || {};
  if (poll.kind === "single" || poll.kind === "multiple" || poll.kind === "rating") {
    const type = poll.kind === "multiple" ? "checkbox" : "radio";
    const choices =
      poll.kind === "rating"
        ? Array.from({ length: settings.scale_max - settings.scale_min + 1 }, (_, i) => {
            const value = settings.scale_min + i;
            const label = (settings.scale_labels || {})[String(value)];
            return { id: String(value), label: label ? `${value} – ${label}` : String(value) };
          })
        : poll.options;
    if (poll.kind === "multiple" && settings.max_choices) {
      fieldset.append(el("p", { className: "poll-hint", text: format(strings.choose_up_to, { n: settings.max_choices }) }));
    }
    const list = el("div", { className: poll.kind === "rating" ? "poll-choices poll-choices-scale" : "poll-choices" });
    choices.forEach((choice, index) => {
      const inputId = `${id}-${index}`;
      list.append(
        el("div", { className: "poll-choice" }, [
          el("input", { attrs: { type, id: inputId, name: "choice", value: choice.id } }),
          el("label", { text: choice.label, attrs: { for: inputId } }),
        ]),
      );
    });
    fieldset.append(list);
  } else if (poll.kind === "wordcloud") {
    const count = settings.max_answers || 1;
    fieldset.append(el("p", { className: "poll-hint", text: format(strings.words_hint, { n: count }) }));
    for (let i = 0; i < count; i += 1) {
      const inputId = `${id}-word-${i}`;
      fieldset.append(
        el("div", { className: "poll-word" }, [
          el("label", { text: format(strings.word_label, { n: i + 1 }), attrs: { for: inputId } }),
          el("input", { attrs: { type: "text", id: inputId, name: "word", maxlength: 40, autocomplete: "off" } }),
        ]),
      );
    }
  } else {
    const inputId = `${id}-text`;
    fieldset.append(
      el("label", { text: strings.text_label, attrs: { for: inputId } }),
      el("textarea", { attrs: { id: inputId, name: "text", rows: 3, maxlength: 500 } }),
      el("p", { className: "poll-hint", text: strings.text_hint }),
    );
  }
  const submit = el("button", { className: "button", text: strings.vote, attrs: { type: "submit" } });
  const feedback = el("p", { className: "feedback poll-feedback", attrs: { "aria-live": "polite" } });
  form.append(fieldset, submit, feedback);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const payload = { room: poll.room, id: poll.id };
    if (poll.kind === "single" || poll.kind === "multiple") {
      payload.options = [...form.querySelectorAll("input[name=choice]:checked")].map((i) => i.value);
    } else if (poll.kind === "rating") {
      const checked = form.querySelector("input[name=choice]:checked");
      payload.rating = checked ? Number(checked.value) : null;
    } else if (poll.kind === "wordcloud") {
      payload.words = [...form.querySelectorAll("input[name=word]")].map((i) => i.value).filter((v) => v.trim());
    } else {
      payload.text = form.querySelector("textarea").value;
    }
    submit.disabled = true;
    try {
      await onVote(payload);
      say(feedback, strings.voted, "ok");
    } catch (err) {
      say(feedback, err.message || err.code, "error");
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** The plenary's polls: open ones to answer, closed ones with their results. */
export function mountPollsParticipant(live, doc) {
  const root = doc.getElementById("polls");
  const list = doc.getElementById("polls-list");
  if (!root || !list) return null;
  const strings = pageData("polls-data").strings || {};
  const empty = doc.getElementById("polls-empty");
  const announce = announcer(doc.getElementById("polls-status"));
  const polls = new Map(); // id -> poll (with my_vote and results)
  const views = new Map(); // id -> {article, formBox, resultsBox, status, mine, key}

  function view(poll) {
    let v = views.get(poll.id);
    if (!v) {
      // each poll folds: open ones are unfolded, closed ones fold away (a phone reaches the
      // questions below without scrolling past every result of the morning)
      const heading = el("h3", { className: "poll-question", text: poll.question });
      v = {
        article: el("article", { className: "poll", attrs: { "data-poll-id": poll.id, "data-kind": poll.kind, id: `poll-${poll.id}`, tabindex: "-1" } }),
        box: el("details", { className: "poll-box" }),
        status: el("p", { className: "poll-status" }),
        timer: el("p", { className: "poll-timer", attrs: { role: "timer", hidden: true } }),
        formBox: el("div", { className: "poll-form-box" }),
        mine: el("p", { className: "poll-mine", attrs: { tabindex: "-1" } }),
        resultsBox: el("div", { className: "poll-results", attrs: { tabindex: "-1" } }),
        key: "",
        folded: null,
      };
      v.box.append(el("summary", { className: "poll-summary" }, [heading]), v.status, v.timer, v.formBox, v.mine, v.resultsBox);
      v.article.append(v.box);
      views.set(poll.id, v);
    }
    return v;
  }

  function update(poll) {
    const v = view(poll);
    const closed = poll.status === "closed";
    if (v.folded !== closed) {
      v.folded = closed; // only when the status changes: a reader's own unfolding stays
      v.box.open = !closed;
      v.article.classList.toggle("poll-closed", closed);
    }
    v.status.textContent = statusText(poll, strings);
    const canVote = poll.status === "open" && (!poll.my_vote || poll.settings.allow_change);
    const key = `${poll.status}:${canVote}`;
    if (v.key !== key) {
      v.key = key; // rebuild the form only when voting opens or ends, never under the user's hands
      v.formBox.replaceChildren();
      if (canVote) v.formBox.append(voteForm(poll, strings, (payload) => vote(poll.id, payload)));
    }
    v.mine.textContent = poll.my_vote ? format(strings.your_answer, { answer: answerText(poll, poll.my_vote, strings) }) : "";
    v.mine.hidden = !poll.my_vote;
    renderResults(v.resultsBox, poll.results, strings);
    if (!poll.results) {
      v.resultsBox.append(el("p", { className: "poll-hidden-note", text: poll.status === "open" ? strings.results_later : strings.results_hidden }));
    }
  }

  function order() {
    const sorted = [...polls.values()].sort((a, b) => {
      if ((a.status === "open") !== (b.status === "open")) return a.status === "open" ? -1 : 1;
      return String(b.opened_at || "").localeCompare(String(a.opened_at || ""));
    });
    const wanted = sorted.map((p) => views.get(p.id).article);
    wanted.forEach((article, index) => {
      if (list.children[index] !== article) list.insertBefore(article, list.children[index] || null);
    });
    for (const child of [...list.children]) if (!wanted.includes(child)) child.remove();
    if (empty) empty.hidden = polls.size > 0;
  }

  async function vote(id, payload) {
    const data = await live.call("poll:vote", payload);
    const poll = polls.get(id);
    if (!poll) return;
    poll.my_vote = data.my_vote;
    if (data.results) poll.results = data.results;
    update(poll);
    // the form may be gone now: keyboard focus goes to the result (or the answer given),
    // not back to the top of the page
    const v = views.get(id);
    if (v) {
      const hadFocus = !document.activeElement || document.activeElement === document.body || v.article.contains(document.activeElement);
      const target = poll.results ? v.resultsBox : v.mine;
      if (hadFocus && !v.formBox.childElementCount) target.focus();
    }
    alertFor(poll);
  }

  function upsert(poll) {
    if (poll.room !== live.room || poll.status === "draft") return;
    const known = polls.get(poll.id);
    const merged = { ...(known || { my_vote: null, results: null }), ...poll };
    const opened = poll.status === "open" && (!known || known.status !== "open");
    polls.set(poll.id, merged);
    update(merged);
    order();
    if (opened) raiseAlert(merged);
    else alertFor(merged);
  }

  // a poll opened while the page is open: a visible alert at the top of the page (a polite
  // live region, so it is announced once) with a link that jumps to the poll
  const alertBox = doc.getElementById("poll-alert");
  let alerting = null;
  function raiseAlert(poll) {
    if (!alertBox || poll.my_vote) return;
    alerting = poll.id;
    const link = el("a", { className: "poll-alert-link", text: strings.jump, attrs: { href: `#poll-${poll.id}` } });
    link.addEventListener("click", (event) => {
      const v = views.get(poll.id);
      if (!v) return;
      event.preventDefault();
      v.box.open = true;
      v.article.scrollIntoView({ block: "start" });
      v.article.focus({ preventScroll: true });
    });
    alertBox.replaceChildren();
    // filled a moment after being emptied, so the live region announces it
    setTimeout(() => {
      if (alerting === poll.id) alertBox.replaceChildren(el("span", { text: format(strings.opened, { question: poll.question }) }), " ", link);
    }, 50);
  }
  function alertFor(poll) {
    if (!alertBox || alerting !== poll.id) return;
    if (poll.status === "open" && !poll.my_vote) return;
    alerting = null;
    alertBox.replaceChildren();
  }

  live.onSnapshot((snapshot) => {
    polls.clear();
    for (const poll of pollsOf(snapshot)) {
      polls.set(poll.id, poll);
      update(poll);
    }
    order();
  });
  live.on("poll:updated", (data) => upsert(data.poll));
  live.on("poll:deleted", (data) => {
    polls.delete(data.id);
    views.delete(data.id);
    order();
    alertFor({ id: data.id, status: "deleted" });
  });
  live.on("poll:results", (results) => {
    const poll = polls.get(results.poll_id);
    if (!poll) return;
    poll.results = results;
    update(poll);
    announce(summary(results, strings), Boolean(results.final));
  });
  // countdowns of open polls with a duration (the server closes them; this only shows it),
  // with an alert shortly before the end
  const alerts = mountAlerts(doc);
  const warnDue = warnings([30, 10]);
  setInterval(() => {
    for (const poll of polls.values()) {
      const v = views.get(poll.id);
      if (!v) continue;
      const left = poll.status === "open" ? remaining(poll.closes_at) : "";
      v.timer.hidden = !left;
      v.timer.textContent = left ? format(strings.closes_in, { time: left }) : "";
      if (!left || poll.my_vote) continue;
      const seconds = Math.round((Date.parse(poll.closes_at) - Date.now()) / 1000);
      const reached = warnDue(poll.id, seconds);
      if (reached) alerts.say(format(strings.closing_soon, { question: poll.question, n: reached }));
    }
  }, 1000);
  // results shown only to voters are not broadcast to the room: voters ask now and then
  setInterval(async () => {
    for (const poll of polls.values()) {
      if (poll.status !== "open" || !poll.my_vote || poll.settings.results !== "after_vote") continue;
      try {
        poll.results = await live.call("poll:results", { room: poll.room, id: poll.id });
        update(poll);
      } catch {
        /* hidden or gone: the next broadcast tells */
      }
    }
  }, AFTER_VOTE_REFRESH_MS);
  return { polls };
}

/** The console's polls: a form for new ones and every poll of the room with its controls. */
export function mountPollsModerator(live, doc) {
  const root = doc.getElementById("polls-admin");
  const list = doc.getElementById("polls-admin-list");
  if (!root || !list) return null;
  const strings = pageData("polls-admin-data").strings || {};
  const feedback = doc.getElementById("polls-admin-feedback");
  const announce = announcer(doc.getElementById("polls-admin-status"));
  const polls = new Map();
  const views = new Map();

  async function act(event, payload, done) {
    try {
      const data = await live.call(event, payload);
      if (done) say(feedback, done, "ok");
      return data;
    } catch (err) {
      say(feedback, format(strings.failed, { message: err.message || err.code }), "error");
      return null;
    }
  }

  function button(action, text, context, onClick, extra = "") {
    // the accessible name starts with the visible text, then says which poll
    const b = el("button", {
      className: `button-small ${extra}`.trim(),
      text,
      attrs: { type: "button", "aria-label": `${text}: ${context}`, "data-action": action },
    });
    b.addEventListener("click", onClick);
    return b;
  }

  function view(poll) {
    let v = views.get(poll.id);
    if (v) return v;
    const ref = { room: poll.room, id: poll.id };
    const q = poll.question;
    v = {
      article: el("article", { className: "poll poll-admin", attrs: { "data-poll-id": poll.id, "data-kind": poll.kind } }),
      // the plenary's fold: open polls and drafts unfolded, closed ones fold to one line
      box: el("details", { className: "poll-box" }),
      folded: null,
      foldNote: el("span", { className: "poll-fold-note" }),
      status: el("p", { className: "poll-status" }),
      resultsBox: el("div", { className: "poll-results", attrs: { tabindex: "-1" } }),
      buttons: {
        open: button("open", strings.open, q, () => act("poll:open", ref, strings.opened_done)),
        close: button("close", strings.close, q, () => act("poll:close", ref, strings.closed_done)),
        reopen: button("reopen", strings.reopen, q, () => act("poll:reopen", ref, strings.opened_done)),
        reveal: button("reveal", strings.reveal, q, () => act("poll:reveal", { ...ref, revealed: true }, strings.revealed_done)),
        hide: button("hide", strings.hide, q, () => act("poll:reveal", { ...ref, revealed: false }, strings.hidden_done)),
        showAll: button("showAll", strings.show_all, q, () => act("poll:answers:show", { ...ref, all: true }, strings.shown_done)),
        remove: button("remove", strings.delete, q, () => act("poll:delete", ref, strings.deleted_done), "button-danger"),
      },
    };
    const controls = el("div", { className: "control-row poll-controls" }, Object.values(v.buttons));
    const exports = el("p", { className: "poll-exports" }, [
      el("a", { text: strings.export_csv, attrs: { href: `/moderator/polls/${poll.id}/results.csv`, download: "" } }),
      " · ",
      el("a", { text: strings.export_json, attrs: { href: `/moderator/polls/${poll.id}/results.json`, download: "" } }),
    ]);
    const kind = el("span", { className: "badge", text: strings[`kind_${poll.kind}`] || poll.kind });
    const summaryLine = el("summary", { className: "poll-summary" }, [el("h3", { className: "poll-question", text: q }), " ", kind, " ", v.foldNote]);
    v.box.append(summaryLine, v.status, controls, v.resultsBox, exports);
    v.article.append(v.box);
    views.set(poll.id, v);
    return v;
  }

  function update(poll) {
    const v = view(poll);
    const onReveal = poll.settings.results !== "live";
    const closed = poll.status === "closed";
    if (v.folded !== closed) {
      v.folded = closed; // only when the status changes: a moderator's own unfolding stays
      v.box.open = !closed;
      v.article.classList.toggle("poll-closed", closed);
    }
    const answers = poll.results ? format(strings.voters, { n: poll.results.voters }) : "";
    v.foldNote.textContent = closed ? [strings.status_closed, answers].filter(Boolean).join(" · ") : "";
    v.status.textContent = statusText(poll, strings) + (onReveal ? ` · ${poll.revealed ? strings.revealed : strings.not_revealed}` : "");
    v.buttons.open.hidden = poll.status !== "draft";
    v.buttons.close.hidden = poll.status !== "open";
    v.buttons.reopen.hidden = poll.status !== "closed";
    v.buttons.reveal.hidden = !onReveal || poll.revealed || poll.status === "draft";
    v.buttons.hide.hidden = !onReveal || !poll.revealed;
    v.buttons.showAll.hidden = poll.kind !== "open" || poll.status === "draft";
    renderResults(v.resultsBox, poll.status === "draft" ? null : poll.results, strings, {
      showAnswer: (ref) => act("poll:answers:show", { room: poll.room, id: poll.id, refs: [ref] }, strings.shown_done),
    });
  }

  function order() {
    const rank = { open: 0, draft: 1, closed: 2 };
    const sorted = [...polls.values()].sort((a, b) => rank[a.status] - rank[b.status] || String(a.created_at).localeCompare(String(b.created_at)));
    const wanted = sorted.map((p) => views.get(p.id).article);
    wanted.forEach((article, index) => {
      if (list.children[index] !== article) list.insertBefore(article, list.children[index] || null);
    });
    for (const child of [...list.children]) if (!wanted.includes(child)) child.remove();
    const empty = doc.getElementById("polls-admin-empty");
    if (empty) empty.hidden = polls.size > 0;
  }

  function upsert(poll) {
    if (poll.room !== live.room) return;
    const merged = { ...(polls.get(poll.id) || { results: null }), ...poll };
    polls.set(poll.id, merged);
    update(merged);
    order();
  }

  function remove(id) {
    polls.delete(id);
    views.delete(id);
    order();
  }

  live.onSnapshot((snapshot) => {
    polls.clear();
    for (const poll of pollsOf(snapshot)) polls.set(poll.id, poll);
    for (const poll of polls.values()) update(poll);
    order();
  });
  live.on("poll:changed", (data) => upsert(data.poll));
  live.on("poll:updated", (data) => upsert(data.poll));
  live.on("poll:deleted", (data) => remove(data.id));
  live.on("poll:results", (results) => {
    const poll = polls.get(results.poll_id);
    // the console is in the room too: it keeps the moderators' copy, which has held answers
    if (!poll || !results.moderation) return;
    poll.results = results;
    update(poll);
    announce(format(strings.results_of, { question: poll.question, summary: summary(results, strings) }), Boolean(results.final));
  });

  mountCreateForm(live, doc, strings, act, upsert);
  return { polls };
}

function mountCreateForm(live, doc, strings, act, upsert) {
  const form = doc.getElementById("poll-create");
  if (!form) return;
  const kind = form.querySelector("[name=kind]");
  function showFields() {
    for (const node of form.querySelectorAll("[data-kinds]")) {
      node.hidden = !node.dataset.kinds.split(" ").includes(kind.value);
    }
  }
  kind.addEventListener("change", showFields);
  showFields();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = (name) => form.querySelector(`[name=${name}]`).value.trim();
    const number = (name) => (value(name) === "" ? null : Number(value(name)));
    const payload = {
      room: live.room,
      kind: kind.value,
      question: value("question"),
      results: value("results"),
      anonymous: form.querySelector("[name=anonymous]").checked,
      allow_change: form.querySelector("[name=allow_change]").checked,
      duration_seconds: number("duration_seconds"),
    };
    if (kind.value === "single" || kind.value === "multiple") {
      payload.options = value("options").split("\n").map((s) => s.trim()).filter(Boolean);
    }
    if (kind.value === "multiple") payload.max_choices = number("max_choices");
    if (kind.value === "wordcloud") payload.max_answers = number("max_answers") || 3;
    if (kind.value === "rating") {
      payload.scale_min = number("scale_min") ?? 1;
      payload.scale_max = number("scale_max") ?? 5;
    }
    const data = await act("poll:create", payload, strings.created_done);
    if (data) {
      upsert(data.poll);
      form.reset();
      showFields();
    }
  });
}
