"""Web adapter: Django views, templates and URLs. Views parse, call a service, render."""
