// Poll results as DOM: bars with their numbers as text, the rating's average, the word cloud
// (words packed around the centre by lib/cloud-layout.js) with a ranked list beside it, shown
// open-text answers. Used by the plenary, the moderator console and the presenter view.
import { centres, layoutCloud } from "./cloud-layout.js";
import { el, format } from "./page.js";

const CLOUD_SIZES = 6; // classes poll-cloud-w1 … w6, while the cloud has no size to lay out in
const CLOUD_COLOURS = 4; // classes poll-cloud-c0 … c3
const CLOUD_WORDS = 50; // the cloud draws the most frequent; the ranked list has them all
const clouds = new WeakMap(); // results container -> {pollId, previous, observer}
let canvas = null;

function bar(percent) {
  const fill = el("span", { className: "poll-bar-fill" });
  fill.style.width = `${Math.max(0, Math.min(100, Number(percent) || 0))}%`; // CSSOM, allowed by the CSP
  return el("span", { className: "poll-bar", attrs: { "aria-hidden": "true" } }, [fill]);
}

function row(label, count, percent, strings) {
  const text = format(strings.count_percent, { count, percent: `${formatPercent(percent)} %` });
  return el("li", { className: "poll-row" }, [
    el("span", { className: "poll-row-label", text: label }),
    el("span", { className: "poll-row-value", text }),
    bar(percent),
  ]);
}

function formatPercent(value) {
  return Number(value || 0).toLocaleString(document.documentElement.lang || undefined, {
    maximumFractionDigits: 1,
  });
}

/** "m:ss" until `closesAt` (an ISO time), or "" when there is no countdown. */
export function remaining(closesAt, now = Date.now()) {
  if (!closesAt) return "";
  const seconds = Math.max(0, Math.round((Date.parse(closesAt) - now) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** A short sentence for screen readers: how many voted (and the average of a rating). */
export function summary(results, strings) {
  if (!results) return "";
  let text = format(strings.voters, { n: results.voters });
  if (results.average !== undefined && results.average !== null) {
    text += " " + format(strings.average, { value: formatPercent(results.average) });
  }
  return text;
}

/** Text metrics of the page's font (a canvas that is never shown). */
function measurer(cloud) {
  canvas = canvas || document.createElement("canvas");
  const context = canvas.getContext("2d");
  const style = getComputedStyle(cloud);
  return (text, size) => {
    context.font = `700 ${size}px ${style.fontFamily}`;
    return { w: Math.ceil(context.measureText(text).width) + 2, h: Math.ceil(size * 1.15) };
  };
}

/** Pack the cloud's words around its centre; they keep their places while counts grow. */
function drawCloud(cloud, words, memory) {
  if (!cloud) return; // no answers yet: no cloud, only the note
  const width = cloud.clientWidth;
  const height = cloud.clientHeight;
  if (!width || !height || !words.length) return; // not shown yet: the words flow as text
  const layout = layoutCloud(words, {
    width,
    height,
    measure: measurer(cloud),
    previous: memory.previous,
    minSize: Math.max(12, Math.round(height * 0.045)),
    maxSize: Math.max(24, Math.round(height * 0.2)),
  });
  memory.previous = centres(layout, width, height);
  const rank = new Map(words.map((w, i) => [w.word, i]));
  const spans = new Map([...cloud.children].map((span) => [span.dataset.word, span]));
  cloud.classList.add("poll-cloud-packed");
  for (const box of layout.words) {
    const span = spans.get(box.word);
    if (!span) continue;
    span.className = `poll-cloud-word poll-cloud-c${rank.get(box.word) % CLOUD_COLOURS}`;
    span.style.left = `${box.x}px`; // CSSOM, allowed by the CSP
    span.style.top = `${box.y}px`;
    span.style.fontSize = `${box.size}px`;
    spans.delete(box.word);
  }
  for (const span of spans.values()) span.hidden = true; // did not fit: the ranked list has it
}

function wordcloud(results, strings, rankedLimit) {
  const words = results.words || [];
  const box = el("div", { className: "poll-wordcloud" });
  const max = Math.max(1, ...words.map((w) => w.count));
  const cloud = el("p", { className: "poll-cloud", attrs: { "aria-hidden": "true" } });
  // sized by count and packed once the cloud is in the page; the ranked list says it in text
  for (const word of words.slice(0, CLOUD_WORDS)) {
    const size = Math.max(1, Math.ceil((word.count / max) * CLOUD_SIZES));
    cloud.append(el("span", { className: `poll-cloud-word poll-cloud-w${size}`, text: word.word, attrs: { "data-word": word.word } }), " ");
  }
  const ranked = el("ol", { className: "poll-ranked", attrs: { "aria-label": strings.ranked } });
  const listed = rankedLimit ? words.slice(0, rankedLimit) : words;
  for (const word of listed) {
    ranked.append(
      el("li", { className: "poll-ranked-item", attrs: { "data-word": word.word, "data-count": word.count } }, [
        el("span", { className: "poll-ranked-word", text: word.word }),
        el("span", { className: "poll-ranked-count", text: String(word.count) }),
      ]),
    );
  }
  if (listed.length < words.length && strings.more_words) {
    // the stream has room for the top of the list only
    ranked.append(el("li", { className: "poll-ranked-more", text: format(strings.more_words, { n: words.length - listed.length }) }));
  }
  if (!words.length) box.append(el("p", { className: "poll-no-answers", text: strings.no_answers }));
  else box.append(cloud, ranked);
  return box;
}

/**
 * Replace the children of `container` with the results.
 * @param {{showAnswer?: (ref: string) => void, rankedLimit?: number}} options moderators' action
 *   on held answers; how many words the ranked list beside a word cloud shows (the stream)
 */
export function renderResults(container, results, strings, options = {}) {
  // a moderator's focus on a "show" button survives the next update of the results
  const active = document.activeElement;
  const focusedRef = container.contains(active) && active.dataset ? active.dataset.ref : null;
  container.replaceChildren();
  if (!results) return;
  const kind = results.kind;
  if (kind === "single" || kind === "multiple") {
    const list = el("ul", { className: "poll-bars" });
    for (const option of results.options) list.append(row(option.label, option.count, option.percent, strings));
    container.append(list);
  } else if (kind === "rating") {
    const list = el("ul", { className: "poll-bars poll-scale" });
    for (const step of results.scale) {
      const label = step.label ? `${step.value} – ${step.label}` : String(step.value);
      list.append(row(label, step.count, step.percent, strings));
    }
    const average =
      results.average === null || results.average === undefined
        ? strings.no_average
        : format(strings.average, { value: formatPercent(results.average) });
    container.append(el("p", { className: "poll-average", text: average }), list);
  } else if (kind === "wordcloud") {
    container.append(wordcloud(results, strings, options.rankedLimit));
    const cloud = container.querySelector(".poll-cloud");
    let memory = clouds.get(container);
    if (!memory || memory.pollId !== results.poll_id) {
      if (memory && memory.observer) memory.observer.disconnect();
      memory = { pollId: results.poll_id, previous: new Map(), observer: null, cloud: null, words: [] };
      clouds.set(container, memory);
    }
    memory.cloud = cloud;
    memory.words = (results.words || []).slice(0, CLOUD_WORDS);
    drawCloud(cloud, memory.words, memory);
    if (!memory.observer && typeof ResizeObserver === "function") {
      // a cloud shown later (a closed panel opened) or a window resized is packed again
      let size = "";
      memory.observer = new ResizeObserver(() => {
        const now = `${container.clientWidth}x${container.clientHeight}`;
        if (now === size || !memory.cloud || !memory.cloud.isConnected) return;
        size = now;
        drawCloud(memory.cloud, memory.words, memory);
      });
      memory.observer.observe(container);
    }
  } else {
    const list = el("ul", { className: "poll-answers" });
    for (const answer of results.answers || []) {
      const item = el("li", { className: "poll-answer" }, [el("span", { text: answer.text })]);
      if (options.showAnswer && answer.shown === false) {
        const show = el("button", {
          className: "button-small",
          text: strings.show_answer,
          attrs: {
            type: "button",
            "aria-label": `${strings.show_answer}: ${answer.text.slice(0, 60)}`,
            "data-ref": answer.ref,
          },
        });
        show.addEventListener("click", () => options.showAnswer(answer.ref));
        item.append(" ", show);
      } else if (options.showAnswer) {
        item.append(" ", el("span", { className: "badge", text: strings.shown }));
      }
      list.append(item);
    }
    if (!(results.answers || []).length) list.append(el("li", { text: strings.no_answers }));
    container.append(list);
  }
  let footer = format(strings.voters, { n: results.voters });
  if (results.turnout !== null && results.turnout !== undefined) {
    footer += " · " + format(strings.turnout, { percent: `${formatPercent(results.turnout)} %`, n: results.present });
  }
  container.append(el("p", { className: "poll-footer", text: footer }));
  if (focusedRef) {
    const again = container.querySelector(`button[data-ref="${CSS.escape(focusedRef)}"]`);
    (again || container.querySelector("button[data-ref]") || container).focus({ preventScroll: true });
  }
}
