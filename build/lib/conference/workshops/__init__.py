"""Workshops: parallel rooms, seats from the registration's choice, the phase and its timer."""
