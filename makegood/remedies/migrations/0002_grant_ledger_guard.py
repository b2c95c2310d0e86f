"""The remedy ledger is append-only in the database too, not only in the model."""

from django.db import migrations

SQLITE = [
    "CREATE TRIGGER remedies_grant_no_update BEFORE UPDATE ON remedies_grant "
    "BEGIN SELECT RAISE(ABORT, 'the remedy ledger is append-only'); END;",
    # No delete trigger on SQLite: Django's test flush deletes rows there (PostgreSQL truncates,
    # which row triggers do not see). The model and its queryset refuse deletes on every database.
]
POSTGRES = [
    "CREATE OR REPLACE FUNCTION remedies_grant_refuse() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'the remedy ledger is append-only'; END; $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER remedies_grant_no_change BEFORE UPDATE OR DELETE ON remedies_grant "
    "FOR EACH ROW EXECUTE FUNCTION remedies_grant_refuse();",
]


def add_guard(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS remedies_grant_no_update;")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS remedies_grant_no_change ON remedies_grant;")
        schema_editor.execute("DROP FUNCTION IF EXISTS remedies_grant_refuse();")


class Migration(migrations.Migration):
    dependencies = [("remedies", "0001_initial")]

    operations = [migrations.RunPython(add_guard, drop_guard)]
