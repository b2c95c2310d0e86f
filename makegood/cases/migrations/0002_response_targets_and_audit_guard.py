from datetime import timedelta

from django.db import migrations

DEFAULTS = {
    "in_person": timedelta(minutes=1),
    "phone": timedelta(minutes=1),
    "chat": timedelta(minutes=1),
    "web": timedelta(hours=1),
    "email": timedelta(hours=1),
    "social": timedelta(hours=1),
}

SQLITE = [
    "CREATE TRIGGER cases_auditentry_no_update BEFORE UPDATE ON cases_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    # No delete trigger on SQLite: Django's test flush deletes rows there (PostgreSQL truncates,
    # which row triggers do not see). The model and its queryset refuse deletes on every database.
]
POSTGRES = [
    "CREATE OR REPLACE FUNCTION cases_auditentry_refuse() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER cases_auditentry_no_change BEFORE UPDATE OR DELETE ON cases_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION cases_auditentry_refuse();",
]


def add_targets(apps, schema_editor):
    ResponseTarget = apps.get_model("cases", "ResponseTarget")
    for channel, target in DEFAULTS.items():
        ResponseTarget.objects.get_or_create(channel=channel, defaults={"target": target})


def add_audit_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop_audit_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS cases_auditentry_no_update;")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS cases_auditentry_no_change ON cases_auditentry;")
        schema_editor.execute("DROP FUNCTION IF EXISTS cases_auditentry_refuse();")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(add_targets, migrations.RunPython.noop),
        migrations.RunPython(add_audit_guard, drop_audit_guard),
    ]
