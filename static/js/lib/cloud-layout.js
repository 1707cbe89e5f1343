// The word cloud's layout: a pure function (no DOM), deterministic, tested with node's test
// runner (tests/js/cloud-layout.test.mjs).
//
// Words are placed in order of their counts on an Archimedean spiral around the centre, the
// most counted first (so it sits in the middle), never overlapping, never rotated (legible on
// a stream). A word that had a place in the previous layout starts its spiral there: while the
// counts grow, words stay where they were and only move when a growing neighbour needs the
// room. When the words do not fit, every size shrinks a step and the layout starts again.

const SPIRAL_STEP = 0.35; // radians per step at most
const SPIRAL_ARC = 5; // pixels along the spiral per step at most (fine steps far out)
const SPIRAL_GROWTH = 1.6; // pixels of radius per radian (10 per turn)
const FILL = 0.42; // the share of the box that words may cover at first
const SHRINK = 0.88;
const ATTEMPTS = 8;
const MIN_FONT = 10;

/** Font size of a word: between minSize and maxSize by the square root of its share. */
export function fontSize(count, max, minSize, maxSize) {
  if (max <= 0) return minSize;
  const share = Math.sqrt(Math.max(0, count) / max);
  return Math.round(minSize + (maxSize - minSize) * share);
}

function overlaps(a, b, gap) {
  return a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap;
}

function inside(box, width, height) {
  return box.x >= 0 && box.y >= 0 && box.x + box.w <= width && box.y + box.h <= height;
}

/** Where on the spiral around (cx, cy) the box fits first, or null. */
function place(w, h, cx, cy, width, height, placed, gap) {
  // the spiral is stretched to the box's shape; past `reach` no point is inside the box
  const aspect = width / Math.max(1, height);
  const reach = Math.hypot(Math.max(cx, width - cx) / aspect, Math.max(cy, height - cy));
  for (let t = 0; ; ) {
    const r = SPIRAL_GROWTH * t;
    if (r > reach) return null;
    const box = { x: cx + r * Math.cos(t) * aspect - w / 2, y: cy + r * Math.sin(t) - h / 2, w, h };
    if (inside(box, width, height) && !placed.some((other) => overlaps(box, other, gap))) return box;
    t += Math.min(SPIRAL_STEP, SPIRAL_ARC / Math.max(1, r * aspect));
  }
}

/**
 * Lay out `words` ([{word, count}], any order) in a box of `width` × `height` pixels.
 * @param {object} options
 * @param {(text: string, size: number) => {w: number, h: number}} options.measure
 * @param {Map<string, {fx: number, fy: number}>} [options.previous] centres of the last
 *   layout as fractions of its box (so a resized box keeps the arrangement)
 * @returns {{words: Array<{word, count, size, x, y, w, h}>, scale: number, missing: string[]}}
 *   boxes in pixels from the top left; `missing`: words that did not fit even at the smallest
 *   scale (the ranked list beside the cloud still has them)
 */
export function layoutCloud(words, { width, height, measure, previous = new Map(), minSize = 16, maxSize = 96, gap = 4 }) {
  const ordered = [...words].sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  const max = ordered.length ? ordered[0].count : 0;
  // the words that had a place go first (in their order of counts), so they keep it
  const known = ordered.filter((w) => previous.has(w.word));
  const fresh = ordered.filter((w) => !previous.has(w.word));
  const sizeOf = (item, scale) => Math.max(MIN_FONT, Math.round(fontSize(item.count, max, minSize, maxSize) * scale));
  // start at a scale whose boxes would cover FILL of the box: fewer attempts that fail
  const area = ordered.reduce((sum, item) => {
    const { w, h } = measure(item.word, sizeOf(item, 1));
    return sum + (w + gap) * (h + gap);
  }, 0);
  let scale = Math.min(1, Math.sqrt((FILL * width * height) / Math.max(1, area)));
  let best = null;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const last = attempt === ATTEMPTS - 1;
    const placed = [];
    const missing = [];
    for (const item of [...known, ...fresh]) {
      const size = sizeOf(item, scale);
      const { w, h } = measure(item.word, size);
      const hint = previous.get(item.word);
      const cx = hint ? hint.fx * width : width / 2;
      const cy = hint ? hint.fy * height : height / 2;
      const box = place(w, h, cx, cy, width, height, placed, gap);
      if (box) placed.push({ word: item.word, count: item.count, size, ...box });
      else missing.push(item.word);
      if (missing.length && !last) break; // shrink and start again
    }
    best = { words: placed, scale, missing };
    if (!missing.length) break;
    scale *= SHRINK;
  }
  if (best && best.missing.length) {
    const placedWords = new Set(best.words.map((b) => b.word));
    best.missing = ordered.map((w) => w.word).filter((w) => !placedWords.has(w));
  }
  return best || { words: [], scale, missing: [] };
}

/** The centres of a layout as fractions of its box: the `previous` of the next one. */
export function centres(layout, width, height) {
  const found = new Map();
  for (const box of layout.words) {
    found.set(box.word, { fx: (box.x + box.w / 2) / width, fy: (box.y + box.h / 2) / height });
  }
  return found;
}
