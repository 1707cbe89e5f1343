"""agenda capability."""
