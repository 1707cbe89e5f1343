"""Benchmarks of the realtime server against bare baselines (see docs/benchmarks.md)."""
