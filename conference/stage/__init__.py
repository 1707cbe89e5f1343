"""The stage: what the stream (the presenter view) shows now, chosen by the moderators."""
