"""Migration for webhooks (issue 18): the endpoints an organization's programs gave, the events
(one per fact: a unique constraint on organization and fact) and each event's delivery to each
endpoint with its tries (gvia.store.models_webhooks)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0030_payment_predictions'),
    ]

    operations = [
        migrations.CreateModel(
            name='WebhookEndpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('url', models.URLField(max_length=2000)),
                ('kinds', models.JSONField(blank=True, default=list, help_text='Event kinds it wants; empty: all')),
                ('sealed_secret', models.TextField(help_text='The signing secret, sealed')),
                ('active', models.BooleanField(default=True)),
                ('created_by', models.CharField(blank=True, max_length=254)),
                ('created_at', models.DateTimeField()),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
        ),
        migrations.CreateModel(
            name='WebhookEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event_id', models.UUIDField(unique=True)),
                ('kind', models.CharField(max_length=40)),
                ('fact', models.CharField(help_text='What happened, as a key: one event per fact', max_length=200)),
                ('payload', models.JSONField(default=dict)),
                ('created_at', models.DateTimeField()),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
        ),
        migrations.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('delivered', 'Delivered'), ('failed', 'Given up')], default='pending', max_length=10)),
                ('attempts', models.IntegerField(default=0)),
                ('next_attempt_at', models.DateTimeField(blank=True, null=True)),
                ('last_status', models.IntegerField(blank=True, help_text='The HTTP status of the last answer', null=True)),
                ('last_error', models.CharField(blank=True, help_text='A code: no_answer, refused, http_status', max_length=60)),
                ('delivered_at', models.DateTimeField(blank=True, null=True)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
                ('endpoint', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='gvia.webhookendpoint')),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='gvia.webhookevent')),
            ],
        ),
        migrations.AddConstraint(
            model_name='webhookevent',
            constraint=models.UniqueConstraint(fields=('organization', 'fact'), name='webhook_event_fact_unique'),
        ),
        migrations.AddIndex(
            model_name='webhookdelivery',
            index=models.Index(fields=['status', 'next_attempt_at'], name='webhook_delivery_due_idx'),
        ),
        migrations.AddConstraint(
            model_name='webhookdelivery',
            constraint=models.UniqueConstraint(fields=('event', 'endpoint'), name='webhook_delivery_unique'),
        ),
    ]
