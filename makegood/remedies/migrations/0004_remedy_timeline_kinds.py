"""Remedies' timeline lines get kinds of their own: the notes that carried `data["remedies"]`
become `remedy_granted`, `remedy_offered`, ... (and back, when migrating backwards)."""

from django.db import migrations

# As in makegood.remedies.kinds.LEGACY_NOTE_KINDS when this migration was written.
NOTE_KINDS = {
    "loss": "remedy_loss",
    "grant": "remedy_granted",
    "offer": "remedy_offered",
    "offer_declined": "remedy_offer_declined",
    "escalated": "remedy_escalated",
    "approved": "remedy_approved",
    "taken_over": "remedy_taken_over",
    "delivered": "remedy_delivered",
}
BATCH = 500


def _convert(apps, *, forwards):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    if forwards:
        events = CaseEvent.objects.filter(kind="note", data__has_key="remedies")
    else:
        events = CaseEvent.objects.filter(kind__in=list(NOTE_KINDS.values()))
    back = {kind: name for name, kind in NOTE_KINDS.items()}
    # The ids first: SQLite reads a table in batches, which must not see it change under it.
    ids = list(events.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        changed = []
        for event in CaseEvent.objects.filter(pk__in=ids[start : start + BATCH]).only("pk", "kind", "data"):
            data = dict(event.data or {})
            if forwards:
                kind = NOTE_KINDS.get(str(data.get("remedies")))
                if kind is None:
                    continue  # Not one of ours: it stays a note.
                data.pop("remedies")
                event.kind = kind
            else:
                data["remedies"] = back[event.kind]
                event.kind = "note"
            event.data = data
            changed.append(event)
        CaseEvent.objects.bulk_update(changed, ["kind", "data"])


def forwards(apps, schema_editor):
    _convert(apps, forwards=True)


def backwards(apps, schema_editor):
    _convert(apps, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("remedies", "0003_money_per_currency"),
        ("cases", "0008_case_loss_amount_per_currency"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
