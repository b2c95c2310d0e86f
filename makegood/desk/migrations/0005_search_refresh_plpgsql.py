"""PostgreSQL: the search document's refresh as PL/pgSQL, whose plan is kept for the session
(`search_index.POSTGRES_REFRESH_FUNCTION`); the documents themselves do not change."""

from django.db import migrations

from makegood.desk.search_index import POSTGRES_REFRESH_FUNCTION


def replace_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REFRESH_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0004_search_visibility_tags"),
    ]

    operations = [migrations.RunPython(replace_function, migrations.RunPython.noop)]
