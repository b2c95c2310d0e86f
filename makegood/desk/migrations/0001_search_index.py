"""The search index and the triggers that keep it in step (makegood/desk/search_index.py)."""

from django.db import migrations

from makegood.desk.search_index import search_index_create, search_index_drop


def create(apps, schema_editor):
    search_index_create(schema_editor.connection)


def drop(apps, schema_editor):
    search_index_drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_case_loss_amount_per_currency"),
    ]

    operations = [migrations.RunPython(create, drop)]
