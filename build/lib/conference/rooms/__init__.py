"""Rooms: joining the plenary or a workshop room, the snapshot, and catching up (room:sync)."""
