"""The event report: one document of the event (PDF, tagged and accessible, or DOCX), built
off the event loop, from the console or `conference report`."""
