// The shared notes of a workshop room: CodeMirror 6 bound to a Y.Text (y-codemirror.next),
// synchronised with the server over the page's socket. Keystrokes are sent in batches; while
// the connection is away writing goes on, and on reconnecting the state vectors decide what
// each side lacks, so nothing written is lost or doubled. Cursors and names of the other
// writers are shown (awareness, never stored) and their arrival and departure announced.
import { defaultKeymap } from "@codemirror/commands";
import { Compartment, EditorState } from "@codemirror/state";
import { EditorView, drawSelection, highlightSpecialChars, keymap, placeholder } from "@codemirror/view";
import { yCollab, yUndoManagerKeymap } from "y-codemirror.next";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { el, format, say } from "./page.js";

const SEND_EVERY_MS = 300; // keystrokes go out in batches: a few updates a second at most
const AWARENESS_EVERY_MS = 500;
const GAP_WAIT_MS = 1000; // a number may arrive out of order before a missing one is fetched
const COLORS = ["#0b5cad", "#a4161a", "#1e6b34", "#7a3e9d", "#b35c00", "#006d77"];

function toBase64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text) {
  const raw = atob(text || "");
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/**
 * @param live the page's connection (connectLive), joined to `room`
 * @param {Document} doc
 * @param {{room: string, manager: boolean, styleNonce?: string, strings: object}} options
 *   `styleNonce`: the page's CSP nonce for the editor's style element
 */
export function mountNotes(live, doc, { room, manager, styleNonce, strings }) {
  const root = doc.getElementById("notes");
  const host = doc.getElementById("notes-editor");
  if (!root || !host) return null;
  const status = doc.getElementById("notes-status");
  const feedback = doc.getElementById("notes-feedback");
  const writersLine = doc.getElementById("notes-writers");
  const announcer = doc.getElementById("notes-announce");

  const ydoc = new Y.Doc();
  const ytext = ydoc.getText("notes");
  const awareness = new awarenessProtocol.Awareness(ydoc);
  const editable = new Compartment();
  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: "",
      extensions: [
        // undo and redo are the shared document's (only my own changes), not the editor's
        keymap.of([...yUndoManagerKeymap, ...defaultKeymap]),
        drawSelection(),
        highlightSpecialChars(),
        placeholder(strings.placeholder || ""),
        ...(styleNonce ? [EditorView.cspNonce.of(styleNonce)] : []),
        EditorView.lineWrapping,
        yCollab(ytext, awareness),
        editable.of(EditorView.editable.of(false)),
        EditorView.contentAttributes.of({ "aria-label": strings.label, "aria-describedby": "notes-hint" }),
      ],
    }),
  });

  let canWrite = false;
  let mode = "everyone";
  let synced = false;
  let syncing = null;
  let queue = [];
  let sendTimer = null;
  const seen = new Set();
  let contiguous = 0;
  let gapTimer = null;

  function setWritable(value) {
    canWrite = value;
    view.dispatch({ effects: editable.reconfigure(EditorView.editable.of(value)) });
    status.textContent = value ? strings.mode_everyone_you : strings.read_only;
    if (mode === "facilitator" && value) status.textContent = strings.mode_facilitator_you;
  }

  // --- numbers of the updates: a missing one that does not come makes the page sync ------

  function mark(seq) {
    seen.add(seq);
    while (seen.has(contiguous + 1)) seen.delete(++contiguous);
    for (const s of seen) if (s <= contiguous) seen.delete(s);
    if (seen.size && !gapTimer) {
      gapTimer = setTimeout(() => {
        gapTimer = null;
        if (seen.size) void sync();
      }, GAP_WAIT_MS);
    }
  }

  // --- sync: on every (re)join of the room ---------------------------------------------

  async function sync() {
    if (syncing) return syncing;
    syncing = (async () => {
      try {
        const data = await live.call("notes:open", {
          room,
          state_vector: toBase64(Y.encodeStateVector(ydoc)),
          client: ydoc.clientID,
        });
        Y.applyUpdate(ydoc, fromBase64(data.update), "server");
        seen.clear();
        contiguous = Math.max(contiguous, data.notes_seq);
        mode = data.mode;
        setWritable(data.can_write);
        const radio = root.querySelector(`input[name='notes-mode'][value='${mode}']`);
        if (radio) radio.checked = true;
        synced = true;
        // what was written here meanwhile (offline): exactly what the server lacks
        const ours = Y.encodeStateAsUpdate(ydoc, fromBase64(data.state_vector));
        queue = [];
        if (ours.length > 2) await send(ours);
        sendAwareness();
        root.dataset.synced = "true";
      } catch (err) {
        synced = false;
        if (err.code !== "network.timeout" && err.code !== "session.ended") {
          say(feedback, format(strings.failed, { message: err.message || err.code }), "error");
        }
      } finally {
        syncing = null;
      }
    })();
    return syncing;
  }

  live.onSnapshot(() => {
    synced = false;
    void sync();
  });
  // Redis was away: updates between server processes may be lost; a state-vector sync gets them
  live.on("room:resync", () => void sync());
  live.onStatus((state) => {
    if (state === "reconnecting") {
      synced = false;
      delete root.dataset.synced;
      say(status, strings.offline);
    }
  });

  // --- my edits ----------------------------------------------------------------------------

  ydoc.on("update", (update, origin) => {
    if (origin === "server") return;
    queue.push(update);
    if (!sendTimer) sendTimer = setTimeout(flush, SEND_EVERY_MS);
  });

  async function flush() {
    sendTimer = null;
    if (!queue.length || !synced || syncing) return; // the next sync sends it
    const merged = Y.mergeUpdates(queue);
    queue = [];
    await send(merged);
  }

  async function send(update) {
    try {
      const ack = await live.call("notes:update", { room, update: toBase64(update) });
      mark(ack.notes_seq);
      if (feedback.dataset.kind === "error") say(feedback, "");
    } catch (err) {
      if (err.code === "network.timeout" || err.code === "session.ended" || !live.socket.connected) {
        synced = false; // reconnecting syncs by state vectors: nothing is lost
        return;
      }
      say(feedback, format(strings.failed, { message: err.message || err.code }), "error");
      if (err.code === "notes.read_only") setWritable(false);
    }
  }

  // --- others' edits -------------------------------------------------------------------

  live.on("notes:update", (payload) => {
    if (payload.room !== room) return;
    Y.applyUpdate(ydoc, fromBase64(payload.update), "server");
    mark(payload.notes_seq);
  });
  live.on("notes:mode", (payload) => {
    if (payload.room !== room) return;
    mode = payload.mode;
    setWritable(manager || mode === "everyone");
    say(announcer, mode === "everyone" ? strings.mode_everyone : strings.mode_facilitator);
  });

  // --- who writes: names and cursors --------------------------------------------------

  const me = live.me || {};
  awareness.setLocalStateField("user", {
    name: me.name || "?",
    color: COLORS[ydoc.clientID % COLORS.length],
    colorLight: `${COLORS[ydoc.clientID % COLORS.length]}33`,
  });
  let awarenessTimer = null;
  function sendAwareness() {
    if (awarenessTimer || !synced) return;
    awarenessTimer = setTimeout(async () => {
      awarenessTimer = null;
      const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [ydoc.clientID]);
      try {
        await live.call("notes:awareness", { room, update: toBase64(update) });
      } catch {
        // cursors are best effort: the next move sends them again
      }
    }, AWARENESS_EVERY_MS);
  }
  const names = new Map(); // client id -> name
  awareness.on("update", ({ added, updated, removed }, origin) => {
    if (origin === "local") {
      sendAwareness();
      return;
    }
    const joined = [];
    for (const id of [...added, ...updated]) {
      const user = awareness.getStates().get(id)?.user;
      if (id !== ydoc.clientID && user && !names.has(id)) joined.push(user.name);
      if (user && id !== ydoc.clientID) names.set(id, user.name);
    }
    const leftNames = removed.filter((id) => names.has(id)).map((id) => names.get(id));
    for (const id of removed) names.delete(id);
    for (const name of joined) say(announcer, format(strings.joined, { name }));
    for (const name of leftNames) say(announcer, format(strings.left, { name }));
    writersLine.textContent = names.size ? format(strings.writers, { names: [...new Set(names.values())].join(", ") }) : "";
  });
  live.on("notes:awareness", (payload) => {
    if (payload.room === room) awarenessProtocol.applyAwarenessUpdate(awareness, fromBase64(payload.update), "server");
  });
  live.on("notes:gone", (payload) => {
    if (payload.room === room) awarenessProtocol.removeAwarenessStates(awareness, payload.clients, "server");
  });
  window.addEventListener("pagehide", () => awarenessProtocol.removeAwarenessStates(awareness, [ydoc.clientID], "local"));

  // --- the facilitator: who writes, versions --------------------------------------------

  for (const input of root.querySelectorAll("input[name='notes-mode']")) {
    input.addEventListener("change", async () => {
      try {
        await live.call("notes:mode", { room, mode: input.value });
        say(feedback, input.value === "everyone" ? strings.mode_everyone : strings.mode_facilitator, "ok");
      } catch (err) {
        say(feedback, format(strings.failed, { message: err.message || err.code }), "error");
      }
    });
  }
  live.on("notes:mode", (payload) => {
    const input = root.querySelector(`input[name='notes-mode'][value='${payload.mode}']`);
    if (input) input.checked = true;
  });

  const versionsBox = doc.getElementById("notes-versions-box");
  const versionsList = doc.getElementById("notes-versions");
  const dialog = doc.getElementById("notes-version-dialog");
  const dialogTitle = doc.getElementById("notes-version-title");
  const dialogText = doc.getElementById("notes-version-text");
  const restoreButton = doc.getElementById("notes-version-restore");
  let shown = null;
  const timeFormat = new Intl.DateTimeFormat(doc.documentElement.lang || undefined, { dateStyle: "short", timeStyle: "short" });

  async function loadVersions() {
    try {
      const data = await live.call("notes:versions", { room });
      versionsList.replaceChildren(
        ...(data.versions.length
          ? data.versions.map((v) => {
              const open = el("button", {
                className: "button-small",
                text: strings.view,
                attrs: { type: "button", "aria-label": format(strings.view_label, { name: v.name }) },
              });
              open.addEventListener("click", () => showVersion(v));
              return el("li", { attrs: { "data-version": v.id } }, [
                el("span", { className: "notes-version-name", text: v.name }),
                " ",
                el("time", { text: timeFormat.format(new Date(v.created_at)), attrs: { datetime: v.created_at } }),
                " ",
                open,
              ]);
            })
          : [el("li", { text: strings.no_versions })]),
      );
    } catch (err) {
      say(feedback, format(strings.failed, { message: err.message || err.code }), "error");
    }
  }
  versionsBox?.addEventListener("toggle", () => {
    if (versionsBox.open) void loadVersions();
  });
  live.on("notes:versions", (payload) => {
    if (payload.room === room && versionsBox?.open) void loadVersions();
  });

  async function showVersion(version) {
    try {
      const data = await live.call("notes:version", { room, id: version.id });
      shown = version;
      dialogTitle.textContent = version.name;
      dialogText.textContent = data.text;
      dialog.showModal();
    } catch (err) {
      say(feedback, format(strings.failed, { message: err.message || err.code }), "error");
    }
  }
  doc.getElementById("notes-version-close")?.addEventListener("click", () => dialog.close());
  restoreButton?.addEventListener("click", async () => {
    if (!shown) return;
    try {
      await live.call("notes:restore", { room, id: shown.id });
      dialog.close();
      say(feedback, format(strings.restored, { name: shown.name }), "ok");
      view.focus();
    } catch (err) {
      say(feedback, format(strings.failed, { message: err.message || err.code }), "error");
    }
  });

  const saveForm = doc.getElementById("notes-save");
  saveForm?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = doc.getElementById("notes-save-name");
    const name = input.value.trim();
    if (!name) {
      say(feedback, strings.name_needed, "error");
      input.focus();
      return;
    }
    try {
      await live.call("notes:save", { room, name });
      input.value = "";
      say(feedback, format(strings.saved, { name }), "ok");
    } catch (err) {
      say(feedback, format(strings.failed, { message: err.message || err.code }), "error");
    }
  });

  return { ydoc, view, sync, get text() { return ytext.toString(); } };
}
