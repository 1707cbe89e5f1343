"""Pages: routes, templating and translations."""
