"""Questions from the audience: held for moderation, approved, upvoted, pinned, answered."""
