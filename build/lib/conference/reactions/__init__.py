"""reactions capability."""
