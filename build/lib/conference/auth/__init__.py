"""Identity: people, join tokens, session cookies and roles."""
