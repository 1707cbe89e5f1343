// The plenary page: stream, agenda, presence, chat, reactions (and polls and Q&A).
import { mountAgenda, mountPresenceCount } from "./lib/agenda-ui.js";
import { mountChat } from "./lib/chat-ui.js";
import { mountGalleryParticipant } from "./lib/gallery-ui.js";
import { connectLive } from "./lib/live.js";
import { pageData } from "./lib/page.js";
import { mountPollsParticipant } from "./lib/polls-ui.js";
import { mountQaParticipant } from "./lib/qa-ui.js";
import { mountReactions } from "./lib/reactions-ui.js";
import { mountStream } from "./lib/stream-ui.js";
import { mountWorkshopsParticipant } from "./lib/workshops-ui.js";

const data = pageData("plenary-data");
const room = data.room || "plenary";
const live = connectLive({ room });

mountStream(live, document, { stream: data.stream || { kind: "none" }, startsAt: data.starts_at, strings: data.strings || {} });
mountAgenda(live, document);
mountPresenceCount(live, document, room);
mountChat(live, document, { room });
mountReactions(live, document, room);
mountPollsParticipant(live, document);
mountQaParticipant(live, document);
mountWorkshopsParticipant(live, document);
mountGalleryParticipant(live, document);
window.conferenceLive = live; // for debugging in the console and for browser tests
