// Unit tests of the word cloud's layout (static/js/lib/cloud-layout.js), run by node's test
// runner: `node --test tests/js/` (tests/polls/test_cloud_layout.py runs them in the suite).
import assert from "node:assert/strict";
import { test } from "node:test";
import { centres, fontSize, layoutCloud } from "../../static/js/lib/cloud-layout.js";

// a monospace stand-in for the browser's text metrics
const measure = (text, size) => ({ w: text.length * size * 0.6, h: size * 1.2 });
const BOX = { width: 1200, height: 700, measure };

const WORDS = [
  { word: "klimaneutral", count: 40 },
  { word: "wettbewerbsfähig", count: 25 },
  { word: "innovationsfähig", count: 18 },
  { word: "attraktiver Arbeitgeber", count: 12 },
  { word: "vernetzt", count: 9 },
  { word: "digital", count: 7 },
  { word: "regional", count: 5 },
  { word: "nachhaltig", count: 4 },
  { word: "mutig", count: 3 },
  { word: "offen", count: 2 },
  { word: "Fachkräfte", count: 1 },
];

function overlap(a, b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

test("sizes grow with the count, from the smallest to the largest", () => {
  assert.equal(fontSize(40, 40, 16, 96), 96);
  assert.equal(fontSize(0, 40, 16, 96), 16);
  assert.ok(fontSize(10, 40, 16, 96) < fontSize(20, 40, 16, 96));
});

test("every word is placed inside the box, none overlapping", () => {
  const layout = layoutCloud(WORDS, BOX);
  assert.deepEqual(layout.missing, []);
  assert.equal(layout.words.length, WORDS.length);
  for (const box of layout.words) {
    assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.w <= 1200 && box.y + box.h <= 700, box.word);
  }
  for (const [i, a] of layout.words.entries()) {
    for (const b of layout.words.slice(i + 1)) assert.ok(!overlap(a, b), `${a.word} / ${b.word}`);
  }
});

test("the most counted word is the largest, in the middle", () => {
  const layout = layoutCloud(WORDS, BOX);
  const first = layout.words.find((b) => b.word === "klimaneutral");
  assert.equal(first.size, Math.max(...layout.words.map((b) => b.size)));
  assert.ok(Math.abs(first.x + first.w / 2 - 600) < 2);
  assert.ok(Math.abs(first.y + first.h / 2 - 350) < 2);
});

test("the same words give the same layout (deterministic, in any order)", () => {
  const one = layoutCloud(WORDS, BOX);
  const other = layoutCloud([...WORDS].reverse(), BOX);
  assert.deepEqual(one, other);
});

test("words keep their places while the counts grow", () => {
  const before = layoutCloud(WORDS, BOX);
  const grown = WORDS.map((w) => (w.word === "mutig" ? { ...w, count: 4 } : w));
  grown.push({ word: "neu", count: 1 });
  const after = layoutCloud(grown, { ...BOX, previous: centres(before, 1200, 700) });
  const distance = (word) => {
    const old = before.words.find((b) => b.word === word);
    const now = after.words.find((b) => b.word === word);
    return Math.hypot(now.x + now.w / 2 - (old.x + old.w / 2), now.y + now.h / 2 - (old.y + old.h / 2));
  };
  // the words that did not grow stay where they were; the one that grew stays near
  for (const { word } of WORDS) if (word !== "mutig") assert.ok(distance(word) < 1, word);
  assert.ok(distance("mutig") < 120, `mutig moved ${distance("mutig")} px`);
  assert.ok(after.words.some((b) => b.word === "neu"));
});

test("too many words for the box shrink every size until they fit", () => {
  const many = Array.from({ length: 60 }, (_, i) => ({ word: `Wort${i}`, count: 60 - i }));
  const layout = layoutCloud(many, { ...BOX, width: 600, height: 300 });
  assert.ok(layout.scale < 1);
  assert.equal(layout.words.length + layout.missing.length, 60);
  assert.ok(layout.words.length >= 55, `${layout.words.length} placed`);
});

test("no words, no layout", () => {
  assert.deepEqual(layoutCloud([], BOX).words, []);
});
