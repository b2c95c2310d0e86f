"""The default taxonomy (makegood/causes/defaults.py), so that a new business can resolve cases at once."""

from django.db import migrations


def load(apps, schema_editor):
    from makegood.causes.defaults import DEFAULT_TAXONOMY

    Category = apps.get_model("causes", "CauseCategory")
    Cause = apps.get_model("causes", "Cause")
    for position, (name, (description, causes)) in enumerate(DEFAULT_TAXONOMY.items()):
        category, _ = Category.objects.get_or_create(name=name, defaults={"description": description, "position": position})
        for cause_name, keywords in causes.items():
            Cause.objects.get_or_create(category=category, name=cause_name, defaults={"keywords": keywords.replace(", ", "\n")})


class Migration(migrations.Migration):
    dependencies = [("causes", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
