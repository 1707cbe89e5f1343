"""Durable records in SQL (SQLite by default, PostgreSQL for several hosts)."""
