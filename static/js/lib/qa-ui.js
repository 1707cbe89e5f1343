// Placeholder until Q&A arrives: the plenary and the console call these on start.
export function mountQaParticipant(live, doc) {}
export function mountQaModerator(live, doc) {}
