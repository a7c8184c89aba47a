"""SMS and WhatsApp channels (issue 16): ``TextOptOut`` (a mobile number, E.164, that asked for
no more texts, unique per organization) and ``TextEvent`` (a reply or a delivery report a
provider sent through its webhook, unique per provider, kind, provider id and status so that a
callback sent again is kept once). The texts are outbox messages on the ``sms`` and ``whatsapp``
channels: no change to the outbox.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0021_inbound_mail'),
    ]

    operations = [
        migrations.CreateModel(
            name='TextEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('provider', models.CharField(max_length=20)),
                ('kind', models.CharField(choices=[('inbound', 'Reply'), ('status', 'Delivery report')], max_length=10)),
                ('provider_id', models.CharField(max_length=200)),
                ('status', models.CharField(blank=True, max_length=30)),
                ('phone', models.CharField(blank=True, max_length=20)),
                ('text', models.TextField(blank=True)),
                ('data', models.JSONField(blank=True, default=dict)),
                ('at', models.DateTimeField()),
                ('customer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='gvia.customer')),
                ('message', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='gvia.outboxmessage')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
            options={
                'indexes': [models.Index(fields=['message', '-at'], name='text_event_message_idx')],
                'constraints': [models.UniqueConstraint(fields=('organization', 'provider', 'kind', 'provider_id', 'status'), name='text_event_unique')],
            },
        ),
        migrations.CreateModel(
            name='TextOptOut',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('phone', models.CharField(max_length=20)),
                ('source', models.CharField(choices=[('reply', 'Reply'), ('provider', 'Provider'), ('person', 'Person')], max_length=10)),
                ('provider', models.CharField(blank=True, max_length=20)),
                ('channel', models.CharField(blank=True, max_length=20)),
                ('text', models.CharField(blank=True, help_text='The reply that asked for it, as received', max_length=500)),
                ('by', models.CharField(blank=True, max_length=254)),
                ('at', models.DateTimeField()),
                ('customer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='gvia.customer')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('organization', 'phone'), name='text_opt_out_unique')],
            },
        ),
    ]
