// The presenter view for the stream: the poll shown last with its live results (bars, or the
// word cloud with its ranked list) and the pinned question. Read-only: it connects with the
// presenter key and may only ask for presenter:join.
import { io } from "socket.io-client";
import { mountGalleryPresenter } from "./lib/gallery-ui.js";
import { format, pageData, say } from "./lib/page.js";
import { remaining, renderResults, summary } from "./lib/poll-results.js";

const REFRESH_DELAY_MS = 300;
const ANNOUNCE_EVERY_MS = 10000;

const data = pageData("presenter-data");
const strings = data.strings || {};
const room = data.room || "plenary";
const $ = (id) => document.getElementById(id);
const status = $("presenter-status");
let current = { poll: null, results: null, question: null };
let refreshTimer = null;
let lastAnnounced = 0;
let galleryShown = false;

const socket = io({
  transports: ["websocket", "polling"],
  auth: { presenter: data.key, locale: document.documentElement.lang || undefined },
});

function render() {
  const { poll, results, question } = current;
  const pollBox = $("presenter-poll");
  pollBox.hidden = !poll;
  if (poll) {
    pollBox.dataset.pollId = poll.id;
    pollBox.dataset.kind = poll.kind;
    showState();
    $("presenter-poll-question").textContent = poll.question;
    renderResults($("presenter-results"), results, strings);
    $("presenter-results-hidden").hidden = Boolean(results);
  }
  const questionBox = $("presenter-question");
  questionBox.hidden = !question;
  if (question) {
    questionBox.dataset.questionId = question.id;
    $("presenter-question-body").textContent = question.body;
    const author = !question.author
      ? strings.anonymous
      : question.author.deleted
        ? strings.deleted_person
        : [question.author.name, question.author.organisation].filter(Boolean).join(", ");
    $("presenter-question-meta").textContent = `${author} · ${format(strings.votes, { n: question.votes })}`;
  }
  $("presenter-idle").hidden = Boolean(poll || question) || galleryShown;
  // the results gallery, when on the stream, takes the whole view
  if (galleryShown) {
    pollBox.hidden = true;
    questionBox.hidden = true;
  }
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
      render();
    });
  }, REFRESH_DELAY_MS);
}

socket.on("connect", refresh);
socket.on("disconnect", () => say(status, strings.disconnected));
for (const type of ["poll:updated", "poll:deleted", "question:pinned", "question:updated", "question:hidden"]) {
  socket.on(type, (payload) => {
    if (!payload || payload.room === room) refresh();
  });
}
socket.on("poll:results", (results) => {
  if (!current.poll || results.poll_id !== current.poll.id) return;
  current.results = results;
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
mountGalleryPresenter(socket, $("presenter-gallery"), { vote_one: strings.vote_one, votes: strings.votes_n }, (shown) => {
  if (shown === galleryShown) return;
  galleryShown = shown;
  render();
});
window.conferencePresenter = socket; // for browser tests
