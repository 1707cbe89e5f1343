"""Registration: the public form, join links by e-mail, the calendar file, CSV import and export."""
