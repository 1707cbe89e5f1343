"""Accessibility: the statement (BITV 2.0), its feedback route, Leichte Sprache and DGS pages."""
