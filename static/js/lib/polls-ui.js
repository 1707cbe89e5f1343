// Placeholder until polls arrive: the plenary and the console call these on start.
export function mountPollsParticipant(live, doc) {}
export function mountPollsModerator(live, doc) {}
