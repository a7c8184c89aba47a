"""Command line (Typer). Commands parse, call a service, print. Exit 0 done, 1 refused, 2 usage."""
