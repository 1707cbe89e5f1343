// The console's "on the stream now": what the presenter view shows (stage:set), kept in step
// with stage:changed, the plenary's polls (opened ones only) and its pinned question.
import { el, format, pageData, say } from "./page.js";

function clip(text, length = 80) {
  const value = String(text || "");
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
}

export function mountStageConsole(live, doc) {
  const root = doc.getElementById("stage-console");
  if (!root) return null;
  const strings = pageData("stage-data").strings || {};
  const current = doc.getElementById("stage-current");
  const feedback = doc.getElementById("stage-feedback");
  const select = doc.getElementById("stage-poll");
  const noPoll = doc.getElementById("stage-no-poll");
  const pinnedText = doc.getElementById("stage-pinned");
  const buttons = Object.fromEntries([...root.querySelectorAll("button[data-stage]")].map((b) => [b.dataset.stage, b]));
  const polls = new Map(); // opened plenary polls by id, in the order they were created
  let pinned = null; // the plenary's pinned question
  let stage = { kind: "nothing", id: null, results: false, version: -1 };

  function describe() {
    const poll = stage.id ? polls.get(stage.id) : null;
    switch (stage.kind) {
      case "gallery":
        return strings.gallery;
      case "poll":
      case "wordcloud":
        if (!poll) return strings.gone;
        if (stage.kind === "wordcloud" && stage.results) return format(strings.wordcloud, { question: clip(poll.question) });
        return format(stage.results ? strings.results : strings.poll, { question: clip(poll.question) });
      case "question":
        if (!pinned || pinned.id !== stage.id) return strings.gone;
        return format(strings.question, { body: clip(pinned.body) });
      default:
        return strings.nothing;
    }
  }

  function render() {
    const line = format(strings.current, { what: describe() });
    if (current.textContent !== line) current.textContent = line; // announced when it changes
    const chosen = select.value;
    const options = [...polls.values()].map((poll) =>
      el("option", { text: clip(poll.question, 70), attrs: { value: poll.id, selected: poll.id === chosen } }),
    );
    select.replaceChildren(...options);
    if (stage.id && polls.has(stage.id) && (stage.kind === "poll" || stage.kind === "wordcloud")) select.value = stage.id;
    else if (chosen && polls.has(chosen)) select.value = chosen;
    const empty = polls.size === 0;
    select.hidden = empty;
    noPoll.hidden = !empty;
    buttons.poll.disabled = empty;
    buttons.results.disabled = empty;
    pinnedText.textContent = pinned ? clip(pinned.body, 120) : strings.no_pinned;
    buttons.question.disabled = !pinned;
    const onPoll = (stage.kind === "poll" || stage.kind === "wordcloud") && stage.id === select.value;
    const pressed = {
      nothing: stage.kind === "nothing",
      gallery: stage.kind === "gallery",
      poll: onPoll && !stage.results,
      results: onPoll && stage.results,
      question: stage.kind === "question",
    };
    for (const [name, button] of Object.entries(buttons)) {
    button.setAttribute("aria-pressed", pressed[name] ? "true" : "false");
    button.classList.toggle("button-secondary", !pressed[name]); // what is on the stream: filled
  }
  }

  function setStage(next) {
    if (!next || next.version < stage.version) return; // an older change, delivered late
    stage = next;
    render();
  }

  async function put(payload) {
    try {
      const data = await live.call("stage:set", payload);
      say(feedback, "");
      setStage(data.stage);
    } catch (err) {
      say(feedback, format(strings.failed, { message: err.message || err.code }), "error");
    }
  }

  buttons.nothing.addEventListener("click", () => put({ kind: "nothing" }));
  buttons.gallery.addEventListener("click", () => put({ kind: "gallery" }));
  buttons.poll.addEventListener("click", () => put({ kind: "poll", id: select.value, results: false }));
  buttons.results.addEventListener("click", () => {
    const poll = polls.get(select.value);
    if (!poll) return;
    put({ kind: poll.kind === "wordcloud" ? "wordcloud" : "poll", id: poll.id, results: true });
  });
  buttons.question.addEventListener("click", () => pinned && put({ kind: "question", id: pinned.id }));
  select.addEventListener("change", render);

  function keepPoll(poll) {
    if (!poll || poll.room !== live.room) return;
    if (poll.status === "draft") polls.delete(poll.id);
    else polls.set(poll.id, poll);
  }

  live.onSnapshot((snapshot) => {
    polls.clear();
    for (const poll of (snapshot.polls && snapshot.polls.polls) || []) keepPoll(poll);
    const questions = (snapshot.qa && snapshot.qa.questions) || [];
    pinned = questions.find((q) => q.pinned) || null;
    stage = { ...stage, version: -1 };
    setStage((snapshot.stage && snapshot.stage.stage) || { kind: "nothing", id: null, results: false, version: 0 });
  });
  live.on("stage:changed", (data) => setStage(data.stage));
  live.on("poll:changed", (data) => {
    keepPoll(data.poll);
    render();
  });
  live.on("poll:deleted", (data) => {
    polls.delete(data.id);
    render();
  });
  live.on("question:pinned", (data) => {
    pinned = data.question || null;
    render();
  });
  live.on("question:changed", (data) => {
    const question = data.question;
    if (!question || question.room !== live.room) return;
    if (question.pinned) pinned = question;
    else if (pinned && pinned.id === question.id) pinned = null;
    render();
  });
  return { get stage() { return stage; } };
}
