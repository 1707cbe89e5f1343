// The realtime client every page uses: one socket.io connection, a room joined with its
// snapshot, broadcasts delivered in log order exactly once (sequence numbers + room:sync),
// calls as promises, and idempotent retries for payloads that carry a client_id.
import { io } from "socket.io-client";
import { mountChrome } from "./chrome.js";

const EVENT_STREAM = "_event";
const ACK_TIMEOUT_MS = 10000;
const RESYNC_DELAY_MS = 500;
const JOIN_RETRY_MS = 3000;
const UNAVAILABLE_RETRY_MS = 1000; // state.unavailable: the server is back within seconds
const SYNC_BACKOFF_MS = 1000;
const RESYNC_SPREAD_MS = 1000;

/** A fresh id for an idempotent call (matches ^[A-Za-z0-9_-]{8,64}$). */
export function newClientId() {
  if (globalThis.crypto && typeof crypto.randomUUID === "function") {
    return crypto.randomUUID().replace(/-/g, "");
  }
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function liveError(code, message) {
  const error = new Error(message || code);
  error.code = code;
  return error;
}

/**
 * Connect to the event and join `room`.
 * @param {{room: string, socketOptions?: object, chrome?: boolean}} options  `chrome: false` for
 *   a second connection of a page (the console's look into a room): no banners of its own
 */
export function connectLive({ room, socketOptions = {}, chrome = true }) {
  const handlers = new Map(); // type -> Set(handler)
  const snapshotHandlers = new Set();
  const statusHandlers = new Set();
  const catchUpHandlers = new Set();
  const lastSeq = { [room]: 0, [EVENT_STREAM]: 0 };
  const held = { [room]: new Map(), [EVENT_STREAM]: new Map() }; // stream -> seq -> [type, payload]
  const syncing = { [room]: false, [EVENT_STREAM]: false };
  const resyncWanted = { [room]: false, [EVENT_STREAM]: false };
  let ready = false; // joined, snapshot applied, catch-up done
  let joinedOnce = false;
  let ended = false;
  let early = []; // broadcasts that arrived before the snapshot: [type, payload]
  let waiters = []; // resolvers of calls waiting for `ready`
  let status = "connecting";

  const socket = io({
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    withCredentials: true,
    auth: { locale: document.documentElement.lang || undefined },
    ...socketOptions,
  });

  const live = {
    room,
    snapshot: null,
    me: null,
    get status() {
      return status;
    },
    get ended() {
      return ended;
    },
    socket,
    call,
    on(type, handler) {
      if (!handlers.has(type)) handlers.set(type, new Set());
      handlers.get(type).add(handler);
      return () => handlers.get(type).delete(handler);
    },
    onSnapshot(fn) {
      snapshotHandlers.add(fn);
      if (live.snapshot) fn(live.snapshot);
      return () => snapshotHandlers.delete(fn);
    },
    onStatus(fn) {
      statusHandlers.add(fn);
      fn(status);
      return () => statusHandlers.delete(fn);
    },
    /** `fn(stream, busy)`: a catch-up of more than one page runs while connected, and ends. */
    onCatchUp(fn) {
      catchUpHandlers.add(fn);
      return () => catchUpHandlers.delete(fn);
    },
    close() {
      ended = true;
      socket.disconnect();
    },
  };

  function setStatus(next, detail) {
    if (status === next) return;
    status = next;
    for (const fn of statusHandlers) safely(fn, next, detail);
  }

  function safely(fn, ...args) {
    try {
      fn(...args);
    } catch (err) {
      console.error(err);
    }
  }

  function emit(type, payload) {
    const set = handlers.get(type);
    if (!set) return;
    for (const fn of [...set]) safely(fn, payload);
  }

  // --- logged broadcasts: in seq order, each once ---------------------------------------

  function isTracked(payload) {
    return (
      payload !== null &&
      typeof payload === "object" &&
      Number.isInteger(payload.seq) &&
      Object.prototype.hasOwnProperty.call(lastSeq, payload.room)
    );
  }

  function receive(type, payload) {
    if (!ready) {
      early.push([type, payload]);
      return;
    }
    if (!isTracked(payload)) {
      emit(type, payload);
      return;
    }
    const stream = payload.room;
    if (payload.seq <= lastSeq[stream]) return; // seen already
    held[stream].set(payload.seq, [type, payload]);
    drain(stream);
    if (held[stream].size > 0) requestSync(stream);
  }

  /** Deliver held entries of a stream for as long as they follow on without a gap. */
  function drain(stream) {
    const waiting = held[stream];
    for (const seq of [...waiting.keys()]) if (seq <= lastSeq[stream]) waiting.delete(seq);
    while (waiting.has(lastSeq[stream] + 1)) {
      const next = lastSeq[stream] + 1;
      const [type, payload] = waiting.get(next);
      waiting.delete(next);
      lastSeq[stream] = next;
      emit(type, payload);
    }
  }

  function requestSync(stream) {
    if (syncing[stream]) {
      resyncWanted[stream] = true;
      return;
    }
    void syncStream(stream);
  }

  /**
   * Fetch and apply everything after our last seq, page by page (`more: true` means: ask again
   * from the last entry received), so even a long absence leaves no hole. False when the
   * connection dropped meanwhile (the reconnect catches up).
   */
  async function syncStream(stream) {
    syncing[stream] = true;
    let busy = false; // told the page that a long catch-up runs (only while connected)
    try {
      let after = lastSeq[stream];
      for (;;) {
        let data;
        try {
          data = await rawCall("room:sync", { room: stream, after });
        } catch (err) {
          if (err.code !== "rate.limited" || !socket.connected) throw err;
          await pause(SYNC_BACKOFF_MS); // a long catch-up spends the bucket: wait, go on
          continue;
        }
        for (const entry of data.entries) {
          const { type, ...payload } = entry;
          if (payload.seq > lastSeq[stream]) held[stream].set(payload.seq, [type, payload]);
          if (payload.seq > after) after = payload.seq;
        }
        drain(stream);
        if (!data.more || data.entries.length === 0) break;
        if (!busy && ready) {
          busy = true;
          for (const fn of [...catchUpHandlers]) safely(fn, stream, true);
        }
      }
    } catch (err) {
      if (!socket.connected) return false; // the reconnect catches up
      resyncWanted[stream] = true;
    } finally {
      syncing[stream] = false;
      if (busy) for (const fn of [...catchUpHandlers]) safely(fn, stream, false);
    }
    if (ready && (resyncWanted[stream] || held[stream].size > 0)) {
      resyncWanted[stream] = false;
      setTimeout(() => {
        if (ready && held[stream].size > 0) requestSync(stream);
      }, RESYNC_DELAY_MS);
    }
    return true;
  }

  function pause(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  // --- joining --------------------------------------------------------------------------

  async function join() {
    const snapshot = await rawCall("room:join", { room });
    live.snapshot = snapshot;
    live.me = snapshot.me || null;
    return snapshot;
  }

  function announceSnapshot(snapshot) {
    for (const fn of [...snapshotHandlers]) safely(fn, snapshot);
  }

  /** First join: take the snapshot's numbers; later joins: catch up from our own numbers. */
  async function onConnected() {
    ready = false;
    let snapshot;
    try {
      snapshot = await join();
    } catch (err) {
      if (ended || !socket.connected) return; // the next connect tries again
      // state.unavailable: the server's shared state (Redis) is away for a moment; keep trying
      const transient = err.code === "state.unavailable";
      setStatus(transient ? "reconnecting" : "error", err);
      setTimeout(() => {
        if (!ended && socket.connected && !ready) void onConnected();
      }, transient ? UNAVAILABLE_RETRY_MS : JOIN_RETRY_MS);
      return;
    }
    announceSnapshot(snapshot);
    if (!joinedOnce) {
      joinedOnce = true;
      for (const stream of Object.keys(lastSeq)) lastSeq[stream] = snapshot.seq?.[stream] ?? 0;
    } else {
      const results = await Promise.all(Object.keys(lastSeq).map((s) => syncStream(s)));
      if (results.includes(false) && !socket.connected) return;
    }
    becomeReady();
  }

  function becomeReady() {
    ready = true;
    setStatus("connected");
    const pending = early;
    early = [];
    for (const [type, payload] of pending) receive(type, payload);
    for (const stream of Object.keys(lastSeq)) {
      if (resyncWanted[stream] || held[stream].size > 0) {
        resyncWanted[stream] = false;
        requestSync(stream);
      }
    }
    const resume = waiters;
    waiters = [];
    for (const resolve of resume) resolve();
  }

  // --- calls ----------------------------------------------------------------------------

  function rawCall(event, payload) {
    return new Promise((resolve, reject) => {
      socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, (err, ack) => {
        if (err) {
          reject(liveError("network.timeout", ""));
        } else if (ack && ack.ok) {
          resolve(ack.data);
        } else {
          const error = (ack && ack.error) || {};
          const failure = liveError(error.code || "server.error", error.message || "");
          failure.details = error.details;
          reject(failure);
        }
      });
    });
  }

  function whenReady() {
    if (ended) return Promise.reject(liveError("session.ended", ""));
    if (ready && socket.connected) return Promise.resolve();
    return new Promise((resolve) => waiters.push(resolve));
  }

  /**
   * Send an event and resolve with its ack's data; reject with an Error carrying `.code`.
   * Payloads with a `client_id` are idempotent on the server: they are retried with the same
   * id until acknowledged.
   */
  async function call(event, payload = {}) {
    const retry = payload && typeof payload === "object" && typeof payload.client_id === "string";
    for (;;) {
      await whenReady();
      if (ended) throw liveError("session.ended", "");
      try {
        return await rawCall(event, payload);
      } catch (err) {
        if (ended) throw liveError("session.ended", "");
        const transient = err.code === "network.timeout" || !socket.connected;
        if (!(retry && transient)) throw err;
      }
    }
  }

  // --- the socket -----------------------------------------------------------------------

  socket.on("connect", () => {
    if (joinedOnce) setStatus("reconnecting");
    void onConnected();
  });
  socket.on("disconnect", (reason) => {
    ready = false;
    if (ended) return;
    setStatus("reconnecting", reason);
    if (reason === "io server disconnect") {
      // the server closed us without ending the session (e.g. a restart): try again
      setTimeout(() => {
        if (!ended) socket.connect();
      }, 1000);
    }
  });
  socket.on("connect_error", (err) => {
    if (ended) return;
    const data = err && err.data;
    if (data && data.code === "auth.required") {
      // the link was revoked or the session is gone: no point in retrying
      end("auth.required");
      return;
    }
    setStatus(joinedOnce ? "reconnecting" : "connecting", err);
  });
  socket.on("session:ended", (payload) => end((payload && payload.reason) || "ended"));
  socket.onAny((type, payload) => {
    if (type === "session:ended") return;
    if (type === "room:resync") {
      // Redis was away: broadcasts between server processes may be lost. Catch up (spread
      // over a second, so that not every page asks at once); handlers hear of it too.
      setTimeout(() => {
        if (!ready) return; // a join in progress catches up anyway
        for (const stream of Object.keys(lastSeq)) requestSync(stream);
      }, Math.random() * RESYNC_SPREAD_MS);
    }
    receive(type, payload);
  });

  function end(reason) {
    if (ended) return;
    ended = true;
    ready = false;
    socket.io.reconnection(false);
    socket.disconnect();
    setStatus("ended", reason);
    const resume = waiters;
    waiters = [];
    for (const resolve of resume) resolve(); // whenReady callers then see `ended`
  }

  if (chrome) mountChrome(live);
  return live;
}
