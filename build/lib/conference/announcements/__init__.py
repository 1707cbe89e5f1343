"""announcements capability."""
