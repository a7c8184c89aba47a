"""Start Django for a command: pick the database, create the schema on first use.

Django and gvia.dburl are imported inside these functions, when a command needs the database:
`gvia --help` and wrong usage start without them."""

from __future__ import annotations

import os
from pathlib import Path


def setup_django(db_url: str | None = None, migrate: bool = True) -> None:
    """Configure Django once. ``db_url`` overrides GVIA_DATABASE_URL. Creates the schema if needed."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gvia.settings")
    import django
    from django.apps import apps

    if apps.ready:  # already running (tests, or a second call)
        return
    if db_url:
        os.environ["GVIA_DATABASE_URL"] = db_url
    from gvia.dburl import DEFAULT_URL, parse_database_url

    cfg = parse_database_url(os.environ.get("GVIA_DATABASE_URL", DEFAULT_URL))
    if cfg["ENGINE"].endswith("sqlite3") and cfg["NAME"] != ":memory:":
        Path(cfg["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    django.setup()
    if migrate:
        ensure_schema()


def ensure_schema(verbose: bool = False) -> bool:
    """Apply pending migrations. Returns True when something was applied."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return False
    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)
    return True
