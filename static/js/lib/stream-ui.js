// The plenary's stream: HLS through hls.js (or natively), YouTube and Vimeo only after a
// click on the consent button, a plain offline state, and a countdown before the start.
// Captions: WebVTT subtitle tracks inside the HLS manifest (hls.js turns them into the video's
// text tracks; the full build, as hls.js/light leaves subtitles out), or a sidecar WebVTT
// file from the event file as a <track>. The player's own captions button switches them.
import Hls from "hls.js";
import { format } from "./page.js";

const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const VIMEO_ID = /^[0-9]{1,12}$/;
const HLS_RETRY_MS = 30000;

/** Whether an HLS manifest of this site answers with a playlist now. A HEAD request: the
 * demo's placeholder answers 204 ("offline"), so an offline stream logs no error in the
 * browser. Manifests of other hosts are left to hls.js (a probe could trip their CORS). */
async function manifestReady(url, doc) {
  if (new URL(url, doc.baseURI).origin !== doc.location.origin) return true;
  try {
    const response = await fetch(url, { method: "HEAD", cache: "no-store" });
    return response.status === 200;
  } catch {
    return false;
  }
}

/** The privacy-friendly embed address of a YouTube or Vimeo stream, or null. */
export function embedUrl(kind, url) {
  const text = String(url || "").trim();
  if (kind === "youtube") {
    let id = YOUTUBE_ID.test(text) ? text : null;
    if (!id) {
      try {
        const parsed = new URL(text);
        const host = parsed.hostname.replace(/^www\./, "").replace(/^m\./, "");
        if (host === "youtu.be") id = parsed.pathname.slice(1);
        else if (host.endsWith("youtube.com") || host.endsWith("youtube-nocookie.com")) {
          id = parsed.searchParams.get("v") || parsed.pathname.split("/").filter(Boolean).pop();
        }
      } catch {
        id = null;
      }
    }
    return id && YOUTUBE_ID.test(id) ? `https://www.youtube-nocookie.com/embed/${id}?rel=0` : null;
  }
  if (kind === "vimeo") {
    let id = VIMEO_ID.test(text) ? text : null;
    if (!id) {
      try {
        const parsed = new URL(text);
        if (parsed.hostname.endsWith("vimeo.com")) {
          id = parsed.pathname.split("/").filter((part) => VIMEO_ID.test(part)).pop() || null;
        }
      } catch {
        id = null;
      }
    }
    return id ? `https://player.vimeo.com/video/${id}?dnt=1` : null;
  }
  return null;
}

function pad(n) {
  return String(n).padStart(2, "0");
}

/**
 * @param live the connection (the event counts as started once a moderator sets an item)
 * @param {Document} doc
 * @param {{stream: {kind: string, url: string, title: string}, startsAt: string, strings: object}} config
 */
export function mountStream(live, doc, { stream, startsAt, strings }) {
  const parts = {
    countdown: doc.getElementById("stream-countdown"),
    countdownValue: doc.getElementById("countdown-value"),
    video: doc.getElementById("stream-video"),
    consent: doc.getElementById("stream-consent"),
    consentButton: doc.getElementById("stream-consent-button"),
    embed: doc.getElementById("stream-embed"),
    offline: doc.getElementById("stream-offline"),
  };
  const frame = doc.getElementById("stream");
  const start = new Date(startsAt).getTime();
  let begun = false; // a moderator has set an agenda item
  let state = null;
  let timer = null;
  let hls = null;
  let probing = false;
  let retryTimer = null;

  function show(name) {
    if (state === name) return;
    state = name;
    if (frame) frame.dataset.state = name;
    for (const key of ["countdown", "video", "consent", "embed", "offline"]) {
      if (parts[key]) parts[key].hidden = key !== name;
    }
  }

  function beforeStart() {
    return !begun && Number.isFinite(start) && Date.now() < start;
  }

  function tick() {
    const left = Math.max(0, Math.floor((start - Date.now()) / 1000));
    const days = Math.floor(left / 86400);
    const time = `${pad(Math.floor((left % 86400) / 3600))}:${pad(Math.floor((left % 3600) / 60))}:${pad(left % 60)}`;
    if (parts.countdownValue) {
      parts.countdownValue.textContent = days > 0 ? format(strings.countdown_days, { days, time }) : time;
    }
    if (!beforeStart()) decide();
  }

  function decide() {
    if (beforeStart()) {
      show("countdown");
      if (!timer) timer = setInterval(tick, 1000);
      tick();
      return;
    }
    if (timer) {
      clearInterval(timer);
      timer = null;
    }
    if (state && state !== "countdown") return; // the player is already set up
    play();
  }

  function offline() {
    if (hls) {
      hls.destroy();
      hls = null;
    }
    show("offline");
    // the stream may start later: look again now and then, and switch over when it does
    clearTimeout(retryTimer);
    if (stream.kind === "hls") retryTimer = setTimeout(() => play(true), HLS_RETRY_MS);
  }

  function addSidecarCaptions(video) {
    const src = stream.captions;
    if (!src || src === "in-stream" || video.querySelector("track")) return;
    // a file from the organiser's host is read with CORS (the host must allow this origin)
    if (new URL(src, doc.baseURI).origin !== doc.location.origin) video.crossOrigin = "anonymous";
    const track = doc.createElement("track");
    track.kind = "captions";
    track.src = src;
    track.srclang = stream.captions_language || "de";
    track.label = stream.captions_label || track.srclang;
    track.default = true;
    video.append(track);
  }

  async function play(retrying = false) {
    if (stream.kind === "hls" && stream.url && parts.video) {
      const video = parts.video;
      if (probing) return; // one look at a time (the snapshot and the page both decide)
      probing = true;
      const ready = await manifestReady(stream.url, doc);
      probing = false;
      if (!ready) {
        offline();
        return;
      }
      if (!retrying) show("video");
      addSidecarCaptions(video);
      if (Hls.isSupported()) {
        hls = new Hls({ enableWorker: false, manifestLoadingMaxRetry: 1, renderTextTracksNatively: true });
        hls.on(Hls.Events.MANIFEST_PARSED, () => show("video"));
        hls.on(Hls.Events.ERROR, (_event, data) => {
          if (data.fatal) offline();
        });
        hls.loadSource(stream.url);
        hls.attachMedia(video);
      } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
        video.addEventListener("error", offline, { once: true });
        video.addEventListener("loadedmetadata", () => show("video"), { once: true });
        video.src = stream.url;
      } else {
        show("offline");
      }
      return;
    }
    const url = embedUrl(stream.kind, stream.url);
    if (url && parts.consent && parts.consentButton) {
      show("consent");
      parts.consentButton.addEventListener(
        "click",
        () => {
          const iframe = doc.createElement("iframe");
          iframe.src = url;
          iframe.title = stream.title || parts.consentButton.textContent;
          iframe.allow = "autoplay; fullscreen; picture-in-picture";
          iframe.allowFullscreen = true;
          iframe.referrerPolicy = "strict-origin-when-cross-origin";
          parts.embed.replaceChildren(iframe);
          show("embed");
          iframe.focus();
        },
        { once: true },
      );
      return;
    }
    offline();
  }

  live.onSnapshot((snapshot) => {
    begun = begun || Boolean(snapshot.event && snapshot.event.current_item);
    decide();
  });
  live.on("agenda:current", (payload) => {
    if (payload.current_item) {
      begun = true;
      decide();
    }
  });
  decide();
}
