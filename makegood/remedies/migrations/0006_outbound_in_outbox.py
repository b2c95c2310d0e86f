"""A grant's deliveries become outbox messages: every row of the old table is copied, none lost.

Deliveries that were pending, half-sent ("sending": a worker died) or failed (the old retry
command would have tried them again) become pending outbox messages, due at once: the outbox
retries them with back-off and gives up visibly. Delivered ones keep their record.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

PURPOSES = {"email": "remedies.grant_email", "payment_webhook": "remedies.payment_announcement"}
TARGETS = {"payment_webhook": "the payment system"}


def copy_events(apps, schema_editor):
    Legacy = apps.get_model("remedies", "LegacyOutboundEvent")
    Event = apps.get_model("remedies", "OutboundEvent")
    now = timezone.now()
    for old in Legacy.objects.order_by("pk").iterator():
        delivered = old.status == "delivered"
        Event.objects.create(
            purpose=PURPOSES.get(old.kind, old.kind),
            target=TARGETS.get(old.kind) or str((old.payload or {}).get("to", ""))[:500],
            key=f"grant:{old.grant_id}:{'refund' if old.kind == 'payment_webhook' else 'email'}:{old.pk}",
            payload=old.payload,
            state="delivered" if delivered else "pending",
            attempts=min(old.attempts, 32767),
            next_attempt_at=None if delivered else now,
            last_error=old.last_error,
            delivered_at=old.delivered_at,
            created_at=old.created_at,
            grant_id=old.grant_id,
            kind=old.kind,
            topic=old.topic,
        )


def copy_back(apps, schema_editor):
    Legacy = apps.get_model("remedies", "LegacyOutboundEvent")
    Event = apps.get_model("remedies", "OutboundEvent")
    for new in Event.objects.order_by("pk").iterator():
        Legacy.objects.create(
            grant_id=new.grant_id,
            kind=new.kind,
            topic=new.topic,
            payload=new.payload,
            status=new.state,
            attempts=new.attempts,
            last_error=new.last_error,
            created_at=new.created_at,
            delivered_at=new.delivered_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("remedies", "0005_restitution"),
    ]

    operations = [
        migrations.RenameModel("OutboundEvent", "LegacyOutboundEvent"),
        migrations.AlterField(
            model_name="legacyoutboundevent",
            name="grant",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="remedies.grant"
            ),
        ),
        migrations.CreateModel(
            name="OutboundEvent",
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
                    "kind",
                    models.CharField(
                        choices=[("email", "E-mail to the customer"), ("payment_webhook", "Refund for the payment system")],
                        max_length=20,
                    ),
                ),
                ("topic", models.CharField(max_length=50)),
                (
                    "grant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="outbound_events",
                        to="remedies.grant",
                    ),
                ),
            ],
            options={"ordering": ["created_at", "pk"]},
            bases=("outbox.outboxmessage",),
        ),
        migrations.RunPython(copy_events, copy_back),
        migrations.DeleteModel("LegacyOutboundEvent"),
    ]
