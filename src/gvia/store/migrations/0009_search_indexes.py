"""Name search for the customer list: on SQLite, a full-text index of 3-character pieces
(FTS5's trigram tokenizer, case folded) over the customers' names and over the contacts' names
(gvia.web.name_search). It finds every name that contains the text typed (3 characters or more),
ignoring case, without a pass over all names.

Each index is an FTS5 table with the names' table as its content, kept in step by triggers on
that table, so every way of writing customers and contacts (the ORM, the import's bulk inserts,
deletes) updates it.

On PostgreSQL: pg_trgm's trigram GIN indexes on UPPER(name) (what Django's icontains compares),
created when the extension is available; the same search then finds names through them."""

from django.db import migrations

# (index table, names' table) -- the same names as gvia.web.name_search.INDEXES
INDEXES = (("gvia_customer_name_fts", "gvia_customer"), ("gvia_contact_name_fts", "gvia_contact"))
# PostgreSQL: trigram indexes (pg_trgm) on the names as Django's icontains compares them
PG_INDEXES = (("customer_name_trgm_idx", "gvia_customer"), ("contact_name_trgm_idx", "gvia_contact"))


def create_pg(schema_editor) -> None:
    """pg_trgm's GIN indexes on UPPER(name), when the extension can be had (it is a trusted
    extension: a database owner may create it); without it the search reads the names."""
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        return
    for name, table in PG_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER(name) gin_trgm_ops)")


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        create_pg(schema_editor)
    if schema_editor.connection.vendor != "sqlite":
        return
    for fts, table in INDEXES:
        for sql in (
            f"CREATE VIRTUAL TABLE {fts} USING fts5(name, content='{table}', content_rowid='id',"
            " tokenize='trigram case_sensitive 0')",
            f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN"
            f" INSERT INTO {fts}(rowid, name) VALUES (new.id, new.name); END",
            f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN"
            f" INSERT INTO {fts}({fts}, rowid, name) VALUES ('delete', old.id, old.name); END",
            f"CREATE TRIGGER {fts}_update AFTER UPDATE OF name ON {table} BEGIN"
            f" INSERT INTO {fts}({fts}, rowid, name) VALUES ('delete', old.id, old.name);"
            f" INSERT INTO {fts}(rowid, name) VALUES (new.id, new.name); END",
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        ):
            schema_editor.execute(sql)


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for name, _table in PG_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    if schema_editor.connection.vendor != "sqlite":
        return
    for fts, _table in INDEXES:
        for kind in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {fts}_{kind}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {fts}")


class Migration(migrations.Migration):

    dependencies = [
        ("gvia", "0008_web_speed"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
