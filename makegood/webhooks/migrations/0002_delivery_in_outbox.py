"""Webhook deliveries become outbox messages: every row of the old table is copied, none lost.

The old table is renamed aside, the new one (a child of `outbox.OutboxMessage`) is created, each
old delivery is written as an outbox message with its endpoint, event, payload, state, attempts,
last answer and times, and then the old table is dropped.
"""

import uuid

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

import makegood.outbox.addresses


def copy_deliveries(apps, schema_editor):
    Legacy = apps.get_model("webhooks", "LegacyWebhookDelivery")
    Delivery = apps.get_model("webhooks", "WebhookDelivery")
    for old in Legacy.objects.order_by("pk").iterator():
        Delivery.objects.create(
            purpose="webhook",
            target=old.endpoint.url if old.endpoint_id else "",
            key=f"{old.event_id}:{old.endpoint_id or f'gone-{old.pk}'}",
            payload=old.payload,
            state=old.state,
            attempts=old.attempts,
            next_attempt_at=old.next_attempt_at,
            last_status_code=old.last_status_code,
            last_error=old.last_error,
            delivered_at=old.delivered_at,
            created_at=old.created_at,
            endpoint_id=old.endpoint_id,
            event=old.event,
            event_id=old.event_id,
        )


def copy_back(apps, schema_editor):
    Legacy = apps.get_model("webhooks", "LegacyWebhookDelivery")
    Delivery = apps.get_model("webhooks", "WebhookDelivery")
    for new in Delivery.objects.order_by("pk").iterator():
        Legacy.objects.create(
            endpoint_id=new.endpoint_id,
            event=new.event,
            event_id=new.event_id,
            payload=new.payload,
            state=new.state,
            attempts=new.attempts,
            next_attempt_at=new.next_attempt_at,
            last_status_code=new.last_status_code,
            last_error=new.last_error,
            delivered_at=new.delivered_at,
            created_at=new.created_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel("WebhookDelivery", "LegacyWebhookDelivery"),
        migrations.AlterField(
            model_name="legacywebhookdelivery",
            name="endpoint",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="webhooks.webhookendpoint",
            ),
        ),
        migrations.CreateModel(
            name="WebhookDelivery",
            fields=[
                (
                    "outboxmessage_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="outbox.outboxmessage",
                    ),
                ),
                (
                    "event",
                    models.CharField(
                        choices=[
                            ("case.opened", "Case opened"),
                            ("case.resolved", "Case resolved"),
                            ("case.reopened", "Case reopened"),
                            ("case.closed", "Case closed"),
                            ("follow_up.answered", "Follow-up answered"),
                        ],
                        max_length=30,
                    ),
                ),
                ("event_id", models.UUIDField(default=uuid.uuid4)),
                (
                    "endpoint",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="deliveries",
                        to="webhooks.webhookendpoint",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "webhook deliveries",
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("endpoint", "event_id"), name="webhook_delivery_one_per_endpoint")
                ],
            },
            bases=("outbox.outboxmessage",),
        ),
        migrations.RunPython(copy_deliveries, copy_back),
        migrations.DeleteModel("LegacyWebhookDelivery"),
        migrations.AlterField(
            model_name="webhookendpoint",
            name="url",
            field=models.URLField(
                help_text="Where events are POSTed as JSON (http or https).",
                max_length=500,
                validators=[
                    django.core.validators.URLValidator(schemes=["http", "https"]),
                    makegood.outbox.addresses.validate_public_url,
                ],
                verbose_name="URL",
            ),
        ),
    ]
