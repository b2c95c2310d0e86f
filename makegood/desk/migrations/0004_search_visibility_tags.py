"""The search index again, now also with who may see each case (its owner, who filed it, the team
it is being transferred to) as words of its document (`search.visibility_tags`)."""

from django.db import migrations

from makegood.desk.search_index import search_index_create, search_index_drop


def rebuild(apps, schema_editor):
    search_index_drop(schema_editor.connection)
    search_index_create(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0003_search_filter_tags"),
    ]

    operations = [migrations.RunPython(rebuild, rebuild)]
