// Placeholder entry point so the asset build has something to bundle; replaced by the real pages.
export const ready = true;
