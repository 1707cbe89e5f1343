// Questions on the plenary (ask, optionally anonymously; upvote once and take it back; sort by
// votes or time) and in the moderator console (approve, reject, edit, answered, pin, export).
import { el, format, pageData, say } from "./page.js";

function qaOf(snapshot) {
  return (snapshot && snapshot.qa) || { questions: [], mine: [], upvoted: [], moderated: true };
}

function sortQuestions(questions, by) {
  return [...questions].sort((a, b) => {
    if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
    if (by === "votes" && a.votes !== b.votes) return b.votes - a.votes;
    return String(b.created_at).localeCompare(String(a.created_at));
  });
}

/** Put `items` into `list` in order, moving nodes only where needed; focus stays where it was. */
function arrange(list, items) {
  const focused = list.contains(document.activeElement) ? document.activeElement : null;
  items.forEach((item, index) => {
    if (list.children[index] !== item) list.insertBefore(item, list.children[index] || null);
  });
  for (const child of [...list.children]) if (!items.includes(child)) child.remove();
  if (focused && document.activeElement !== focused && list.contains(focused)) focused.focus({ preventScroll: true });
}

function authorText(question, strings) {
  if (!question.author) return strings.anonymous;
  if (question.author.deleted) return strings.deleted_person;
  return question.author.organisation ? `${question.author.name} (${question.author.organisation})` : question.author.name;
}

function sortControl(doc, name, onChange) {
  for (const input of doc.querySelectorAll(`input[name=${name}]`)) {
    input.addEventListener("change", () => onChange(input.value));
  }
  const checked = doc.querySelector(`input[name=${name}]:checked`);
  return checked ? checked.value : "votes";
}

/** The plenary's questions. */
/** Pins and vote counts change the same way on every page that lists questions. */
function followPinsAndVotes(live, questions, render) {
  live.on("question:pinned", (data) => {
    for (const q of questions.values()) q.pinned = q.id === data.id;
    render();
  });
  live.on("question:votes", (data) => {
    const q = questions.get(data.id);
    if (!q) return;
    q.votes = data.votes;
    render();
  });
}

export function mountQaParticipant(live, doc) {
  const root = doc.getElementById("qa");
  const list = doc.getElementById("qa-list");
  if (!root || !list) return null;
  const strings = pageData("qa-data").strings || {};
  const form = doc.getElementById("qa-form");
  const input = doc.getElementById("qa-input");
  const anonymous = doc.getElementById("qa-anonymous");
  const feedback = doc.getElementById("qa-feedback");
  const empty = doc.getElementById("qa-empty");
  const questions = new Map();
  const items = new Map();
  let mine = new Set();
  let upvoted = new Set();
  let sortBy = sortControl(doc, "qa-sort", (value) => {
    sortBy = value;
    render();
  });

  function item(question) {
    let v = items.get(question.id);
    if (!v) {
      const body = el("p", { className: "qa-body" });
      const meta = el("p", { className: "qa-meta" });
      const votes = el("span", { className: "qa-votes" });
      const up = el("button", { className: "button-small qa-upvote", attrs: { type: "button", "aria-pressed": "false" } });
      up.addEventListener("click", () => toggleVote(question.id));
      const li = el("li", { className: "qa-item", attrs: { "data-question-id": question.id } }, [body, meta, el("div", { className: "qa-actions" }, [votes, up])]);
      v = { li, body, meta, votes, up };
      items.set(question.id, v);
    }
    const q = questions.get(question.id);
    v.body.textContent = q.body;
    const own = mine.has(q.id);
    const notes = [authorText(q, strings)];
    if (own) notes.push(strings.own);
    if (q.pinned) notes.push(strings.pinned);
    if (q.status === "answered") notes.push(strings.answered);
    if (q.status === "held") notes.push(strings.held);
    v.meta.textContent = notes.join(" · ");
    v.li.classList.toggle("qa-pinned", q.pinned);
    v.li.classList.toggle("qa-answered", q.status === "answered");
    v.votes.textContent = format(strings.votes, { n: q.votes });
    const voted = upvoted.has(q.id);
    v.up.textContent = voted ? strings.unvote : strings.upvote;
    v.up.setAttribute("aria-pressed", voted ? "true" : "false");
    v.up.setAttribute("aria-label", `${v.up.textContent}: ${q.body.slice(0, 60)}`);
    v.up.hidden = q.status === "held" || own; // nobody upvotes their own question
    return v.li;
  }

  function render() {
    const visible = sortQuestions([...questions.values()], sortBy);
    arrange(list, visible.map((q) => item(q)));
    if (empty) empty.hidden = visible.length > 0;
  }

  async function toggleVote(id) {
    const wasUp = upvoted.has(id);
    try {
      const data = await live.call(wasUp ? "question:unvote" : "question:upvote", { room: live.room, id });
      if (data.voted) upvoted.add(id);
      else upvoted.delete(id);
      const q = questions.get(id);
      if (q) q.votes = data.votes;
      render();
    } catch (err) {
      if (err.code === "question.already_upvoted") upvoted.add(id);
      say(feedback, err.message || err.code, "error");
      render();
    }
  }

  function upsert(question) {
    if (question.room !== live.room) return;
    if (question.status === "rejected" || question.status === "withdrawn") questions.delete(question.id);
    else questions.set(question.id, { ...(questions.get(question.id) || {}), ...question });
    render();
  }

  live.onSnapshot((snapshot) => {
    const qa = qaOf(snapshot);
    questions.clear();
    for (const q of qa.questions) questions.set(q.id, q);
    mine = new Set(qa.mine);
    upvoted = new Set(qa.upvoted);
    render();
  });
  live.on("question:updated", (data) => upsert(data.question));
  live.on("question:changed", (data) => {
    if (mine.has(data.question.id)) upsert(data.question);
  });
  live.on("question:hidden", (data) => {
    questions.delete(data.id);
    render();
  });
  live.on("question:rejected", (data) => {
    if (data.room !== live.room) return;
    questions.delete(data.id);
    render();
    say(feedback, format(strings.rejected, { body: data.body }), "error");
  });
  followPinsAndVotes(live, questions, render);

  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = input.value.trim();
      if (!body) {
        say(feedback, strings.empty, "error");
        return;
      }
      try {
        const data = await live.call("question:ask", { room: live.room, body, anonymous: anonymous.checked });
        mine.add(data.question.id);
        upsert(data.question);
        input.value = "";
        say(feedback, data.question.status === "held" ? strings.sent_held : strings.sent, "ok");
      } catch (err) {
        say(feedback, err.message || err.code, "error");
      }
    });
  }
  return { questions };
}

/** The console's questions: held ones first, with every moderation action. */
export function mountQaModerator(live, doc) {
  const root = doc.getElementById("qa-admin");
  const list = doc.getElementById("qa-admin-list");
  if (!root || !list) return null;
  const strings = pageData("qa-admin-data").strings || {};
  const feedback = doc.getElementById("qa-admin-feedback");
  const empty = doc.getElementById("qa-admin-empty");
  const questions = new Map();
  const items = new Map();
  let sortBy = sortControl(doc, "qa-admin-sort", (value) => {
    sortBy = value;
    render();
  });

  async function act(event, payload, done) {
    try {
      const data = await live.call(event, payload);
      if (data && data.question) upsert(data.question);
      say(feedback, done, "ok");
    } catch (err) {
      say(feedback, format(strings.failed, { message: err.message || err.code }), "error");
    }
  }

  function button(action, text, label, onClick, extra = "") {
    const b = el("button", {
      className: `button-small ${extra}`.trim(),
      text,
      attrs: { type: "button", "aria-label": label, "data-action": action },
    });
    b.addEventListener("click", onClick);
    return b;
  }

  function item(question) {
    let v = items.get(question.id);
    const ref = { room: question.room, id: question.id };
    if (!v) {
      const body = el("p", { className: "qa-body" });
      const meta = el("p", { className: "qa-meta" });
      const editInput = el("input", { attrs: { type: "text", maxlength: 500, id: `qa-edit-${question.id}` } });
      const editForm = el("form", { className: "qa-edit", attrs: { hidden: true } }, [
        el("label", { text: strings.edit_field, attrs: { for: `qa-edit-${question.id}` } }),
        editInput,
        el("button", { className: "button-small", text: strings.save, attrs: { type: "submit" } }),
      ]);
      editForm.addEventListener("submit", (event) => {
        event.preventDefault();
        editForm.hidden = true;
        void act("question:edit", { ...ref, body: editInput.value.trim() }, strings.edited_done);
      });
      const b = {};
      const short = () => questions.get(question.id).body.slice(0, 60);
      b.approve = button("approve", strings.approve, "", () => act("question:approve", ref, strings.approved_done));
      b.reject = button("reject", strings.reject, "", () => act("question:reject", ref, strings.rejected_done), "button-danger");
      b.edit = button("edit", strings.edit, "", () => {
        editInput.value = questions.get(question.id).body;
        editForm.hidden = false;
        editInput.focus();
      });
      b.answered = button("answered", strings.mark_answered, "", () => act("question:answered", { ...ref, value: true }, strings.answered_done));
      b.pin = button("pin", strings.pin, "", () => act("question:pin", { ...ref, value: true }, strings.pinned_done));
      b.unpin = button("unpin", strings.unpin, "", () => act("question:pin", { ...ref, value: false }, strings.unpinned_done));
      const li = el("li", { className: "qa-item", attrs: { "data-question-id": question.id } }, [
        body,
        meta,
        editForm,
        el("div", { className: "control-row qa-actions" }, Object.values(b)),
      ]);
      v = { li, body, meta, b, short };
      items.set(question.id, v);
    }
    const q = questions.get(question.id);
    v.body.textContent = q.body;
    const status = strings[`status_${q.status}`] || q.status;
    v.meta.textContent = [authorText(q, strings), status, format(strings.votes, { n: q.votes }), q.pinned ? strings.pinned : ""]
      .filter(Boolean)
      .join(" · ");
    v.li.classList.toggle("qa-held", q.status === "held");
    v.li.classList.toggle("qa-pinned", q.pinned);
    const visible = q.status === "approved" || q.status === "answered";
    v.b.approve.hidden = q.status === "approved" || q.status === "answered";
    v.b.reject.hidden = q.status === "rejected";
    v.b.answered.hidden = q.status !== "approved";
    v.b.pin.hidden = !visible || q.pinned;
    v.b.unpin.hidden = !q.pinned;
    for (const [name, node] of Object.entries(v.b)) {
      node.setAttribute("aria-label", `${node.textContent}: ${v.short()}`);
    }
    return v.li;
  }

  function render() {
    const all = [...questions.values()].filter((q) => q.status !== "rejected");
    const held = all.filter((q) => q.status === "held");
    const rest = sortQuestions(all.filter((q) => q.status !== "held"), sortBy);
    arrange(list, [...sortQuestions(held, "time").reverse(), ...rest].map((q) => item(q)));
    if (empty) empty.hidden = all.length > 0;
  }

  function upsert(question) {
    if (question.room !== live.room) return;
    if (question.status === "withdrawn") questions.delete(question.id); // its asker withdrew
    else questions.set(question.id, { ...(questions.get(question.id) || {}), ...question });
    render();
  }

  live.onSnapshot((snapshot) => {
    questions.clear();
    for (const q of qaOf(snapshot).questions) questions.set(q.id, q);
    render();
  });
  live.on("question:changed", (data) => upsert(data.question));
  live.on("question:updated", (data) => upsert(data.question));
  followPinsAndVotes(live, questions, render);
  return { questions };
}
