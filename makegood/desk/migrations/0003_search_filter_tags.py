"""The search index again, now with each case's status, team and channel as words of its document
(`search_index.filter_tags`): written again for every case, with triggers that follow those too."""

from django.db import migrations

from makegood.desk.search_index import search_index_create, search_index_drop


def rebuild(apps, schema_editor):
    search_index_drop(schema_editor.connection)
    search_index_create(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0002_case_merge"),
    ]

    operations = [migrations.RunPython(rebuild, rebuild)]
