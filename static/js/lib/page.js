// Reading what the server rendered for scripts, and small DOM helpers (no HTML parsing).

/** The JSON blob of `<script type="application/json" id=…>`, or `fallback`. */
export function pageData(id, fallback = {}) {
  const node = document.getElementById(id);
  if (!node) return fallback;
  try {
    return JSON.parse(node.textContent || "null") ?? fallback;
  } catch {
    return fallback;
  }
}

const pluralRules = new Map();

/** The form of a message for the number `n`: `forms` is a string, or the forms by plural
 * category that the page got from `plural_forms()` (conference/web/templating.py). */
export function plural(forms, n) {
  if (forms === null || forms === undefined || typeof forms !== "object") return forms ?? "";
  const lang = document.documentElement.lang || "de";
  if (!pluralRules.has(lang)) pluralRules.set(lang, new Intl.PluralRules(lang));
  const category = pluralRules.get(lang).select(Number(n) || 0);
  return forms[category] ?? forms.other ?? Object.values(forms)[0] ?? "";
}

/** Fill in `%(name)s` placeholders of a translated string; plural forms are chosen by the
 * number `n` (or `count`) of `values`. */
export function format(template, values = {}) {
  if (template && typeof template === "object") template = plural(template, values.n ?? values.count);
  return String(template).replace(/%\((\w+)\)s/g, (_, key) => (key in values ? String(values[key]) : ""));
}

/** createElement with a class, text and attributes; text is always set as text. */
export function el(tag, { className, text, attrs } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (attrs) for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** Show a message in a live region; the same text twice is announced again. */
export function say(region, text, kind = "info") {
  if (!region) return;
  region.textContent = "";
  region.dataset.kind = kind;
  if (text) setTimeout(() => (region.textContent = text), 20);
}
