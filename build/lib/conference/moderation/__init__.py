"""moderation capability."""
