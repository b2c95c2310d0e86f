"""Money columns hold four decimals, so that every currency keeps its own (JPY none, BHD three).

SQLite changes a column's type by rebuilding the table, which drops the ledger's append-only
trigger: it is dropped first and put back last, on both databases.
"""

from decimal import Decimal

import importlib

from django.db import migrations, models

_guard = importlib.import_module("makegood.remedies.migrations.0002_grant_ledger_guard")


class Migration(migrations.Migration):

    dependencies = [
        ('remedies', '0002_grant_ledger_guard'),
    ]

    operations = [
        migrations.RunPython(_guard.drop_guard, _guard.add_guard),
        migrations.AlterField(
            model_name='authorization',
            name='max_amount',
            field=models.DecimalField(blank=True, decimal_places=4, help_text='Largest amount (variable remedies).', max_digits=14, null=True),
        ),
        migrations.AlterField(
            model_name='authorization',
            name='max_cost',
            field=models.DecimalField(decimal_places=4, max_digits=14),
        ),
        migrations.AlterField(
            model_name='employeeauthority',
            name='budget_per_month',
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True),
        ),
        migrations.AlterField(
            model_name='employeeauthority',
            name='cap_per_case',
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True),
        ),
        migrations.AlterField(
            model_name='employeeauthority',
            name='cap_per_day',
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True),
        ),
        migrations.AlterField(
            model_name='escalation',
            name='demand_amount',
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True),
        ),
        migrations.AlterField(
            model_name='grant',
            name='amount',
            field=models.DecimalField(blank=True, decimal_places=4, help_text='Variable remedies: the amount.', max_digits=14, null=True),
        ),
        migrations.AlterField(
            model_name='grant',
            name='cost',
            field=models.DecimalField(decimal_places=4, max_digits=14),
        ),
        migrations.AlterField(
            model_name='grant',
            name='value',
            field=models.DecimalField(decimal_places=4, max_digits=14),
        ),
        migrations.AlterField(
            model_name='offer',
            name='demand_amount',
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True),
        ),
        migrations.AlterField(
            model_name='offer',
            name='minimum_value',
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True),
        ),
        migrations.AlterField(
            model_name='remedytype',
            name='cost',
            field=models.DecimalField(decimal_places=4, default=Decimal('0.00'), help_text='Fixed remedies: cost to us.', max_digits=14),
        ),
        migrations.AlterField(
            model_name='remedytype',
            name='max_amount',
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True),
        ),
        migrations.AlterField(
            model_name='remedytype',
            name='min_amount',
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True),
        ),
        migrations.AlterField(
            model_name='remedytype',
            name='value',
            field=models.DecimalField(decimal_places=4, default=Decimal('0.00'), help_text='Fixed remedies: worth to the customer.', max_digits=14),
        ),
        migrations.AlterField(
            model_name='roleauthority',
            name='budget_per_month',
            field=models.DecimalField(decimal_places=4, max_digits=14),
        ),
        migrations.AlterField(
            model_name='roleauthority',
            name='cap_per_case',
            field=models.DecimalField(decimal_places=4, max_digits=14),
        ),
        migrations.AlterField(
            model_name='roleauthority',
            name='cap_per_day',
            field=models.DecimalField(decimal_places=4, max_digits=14),
        ),
        migrations.RunPython(_guard.add_guard, _guard.drop_guard),
    ]
