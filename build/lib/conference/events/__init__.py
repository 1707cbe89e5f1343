"""The event: its definition from the event file, loaded and validated."""
