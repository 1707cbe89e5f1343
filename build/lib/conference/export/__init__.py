"""Exports: spreadsheets (CSV for German Excel), documents and the event report."""
