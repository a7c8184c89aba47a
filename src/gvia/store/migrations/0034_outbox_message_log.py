"""An outbox message's log becomes entries of codes and values (gvia.core.message_log), worded in the
reader's language, instead of English lines: each line kept before is an entry shown as it was."""

from django.db import migrations, models

EARLIER = "outbox_earlier"     # gvia.core.message_log.EARLIER: a line kept before entries had codes


def from_text(text, at):
    return [{"at": at.isoformat() if at else None, "code": EARLIER, "params": {}, "text": line}
            for line in text.splitlines() if line.strip()]


def to_entries(apps, schema_editor):
    OutboxMessage = apps.get_model("gvia", "OutboxMessage")
    changed = []
    for msg in OutboxMessage.objects.exclude(last_error="").only("id", "last_error", "updated_at").iterator():
        msg.log = from_text(msg.last_error, msg.updated_at)
        changed.append(msg)
        if len(changed) >= 1000:
            OutboxMessage.objects.bulk_update(changed, ["log"])
            changed = []
    if changed:
        OutboxMessage.objects.bulk_update(changed, ["log"])


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0033_outbox_message_id_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboxmessage',
            name='log',
            field=models.JSONField(blank=True, default=list, help_text="What became of it, entry by entry: codes and "
                                   "values the reader's language words (gvia.core.message_log)"),
        ),
        migrations.RunPython(to_entries, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='outboxmessage',
            name='last_error',
        ),
    ]
