"""An index on the Message-ID of each sent message: a reply or a provider's status report finds the
message it answers without reading the whole outbox."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0032_invoice_source_digest'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='outboxmessage',
            index=models.Index(condition=models.Q(('message_id', ''), _negated=True),
                               fields=['organization', 'message_id'], name='outbox_message_id_idx'),
        ),
    ]
