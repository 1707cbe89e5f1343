// The presenter view for the stream: shows what the stage says (conference/stage/), one thing
// at a time: a poll (its question, or with its live results: bars, or the word cloud with its
// ranked list), the pinned question, the results gallery, or the holding slide with the
// event's title. Read-only: it connects with the presenter key and may only ask for
// presenter:join, which it asks again whenever the stage or what it shows changes.
import { io } from "socket.io-client";
import { mountGalleryPresenter } from "./lib/gallery-ui.js";
import { format, pageData, say } from "./lib/page.js";
import { remaining, renderResults, summary } from "./lib/poll-results.js";

const REFRESH_DELAY_MS = 150;
const ANNOUNCE_EVERY_MS = 10000;
const RANKED_ON_STREAM = 15; // words in the ranked list beside the cloud: what 1080p holds

const data = pageData("presenter-data");
const strings = data.strings || {};
const room = data.room || "plenary";
const $ = (id) => document.getElementById(id);
const main = $("presenter");
const status = $("presenter-status");
const NOTHING = { kind: "nothing", id: null, results: false, version: -1 };
let current = { stage: NOTHING, poll: null, results: null, question: null, cards: null };
let refreshTimer = null;
let lastAnnounced = 0;

const socket = io({
  transports: ["websocket", "polling"],
  auth: { presenter: data.key, locale: document.documentElement.lang || undefined },
});
const gallery = mountGalleryPresenter(socket, $("presenter-gallery"), { vote_one: strings.vote_one, votes: strings.votes_n });

function render() {
  const { stage, poll, results, question } = current;
  const kind = stage.kind;
  const showPoll = (kind === "poll" || kind === "wordcloud") && Boolean(poll);
  const showQuestion = kind === "question" && Boolean(question);
  const showGallery = kind === "gallery";
  main.dataset.stage = showPoll || showQuestion || showGallery ? kind : "nothing";
  main.classList.toggle("presenter-stage-wordcloud", showPoll && poll.kind === "wordcloud" && stage.results);

  const pollBox = $("presenter-poll");
  pollBox.hidden = !showPoll;
  if (showPoll) {
    pollBox.dataset.pollId = poll.id;
    pollBox.dataset.kind = poll.kind;
    showState();
    $("presenter-poll-question").textContent = poll.question;
    renderResults($("presenter-results"), stage.results ? results : null, strings, { rankedLimit: RANKED_ON_STREAM });
    // results asked for but not public yet (they wait for the moderator, or for each vote)
    $("presenter-results-hidden").hidden = !stage.results || Boolean(results);
  }

  const questionBox = $("presenter-question");
  questionBox.hidden = !showQuestion;
  if (showQuestion) {
    questionBox.dataset.questionId = question.id;
    $("presenter-question-body").textContent = question.body;
    const author = !question.author
      ? strings.anonymous
      : question.author.deleted
        ? strings.deleted_person
        : [question.author.name, question.author.organisation].filter(Boolean).join(", ");
    $("presenter-question-meta").textContent = `${author} · ${format(strings.votes, { n: question.votes })}`;
  }

  $("presenter-gallery").hidden = !showGallery;
  $("presenter-idle").hidden = showPoll || showQuestion || showGallery;
}

function showState() {
  const poll = current.poll;
  if (!poll) return;
  const left = poll.status === "open" ? remaining(poll.closes_at) : "";
  const state = poll.status === "open" ? strings.open : strings.closed;
  $("presenter-poll-state").textContent = left ? `${state} · ${format(strings.closes_in, { time: left })}` : state;
}

setInterval(showState, 1000);

function refresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    socket.timeout(10000).emit("presenter:join", { room }, (err, ack) => {
      if (err || !ack || !ack.ok) return;
      current = ack.data;
      gallery.show(current.cards || []); // then kept up to date by gallery:card and gallery:votes
      render();
    });
  }, REFRESH_DELAY_MS);
}

socket.on("connect", refresh);
socket.on("disconnect", () => say(status, strings.disconnected));
socket.on("stage:changed", (payload) => {
  // two processes may deliver two quick changes out of order: the newer one wins
  if (payload && payload.stage && payload.stage.version >= current.stage.version) refresh();
});
for (const type of ["poll:updated", "poll:deleted", "question:pinned", "question:updated", "question:hidden"]) {
  socket.on(type, (payload) => {
    if (!payload || payload.room === room) refresh();
  });
}
socket.on("poll:results", (results) => {
  if (!current.poll || results.poll_id !== current.poll.id) return;
  current.results = results;
  if (!current.stage.results) return;
  render();
  if (Date.now() - lastAnnounced > ANNOUNCE_EVERY_MS || results.final) {
    lastAnnounced = Date.now();
    say(status, format(strings.updated, { summary: summary(results, strings) }));
  }
});
socket.on("question:votes", (payload) => {
  if (current.question && payload.id === current.question.id) {
    current.question.votes = payload.votes;
    render();
  }
});
window.conferencePresenter = socket; // for browser tests
