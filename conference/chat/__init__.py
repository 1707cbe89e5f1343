"""chat capability."""
