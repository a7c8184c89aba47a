"""Migration for sync with the invoicing services (issue 18): SyncAccount, an organization's
account at Morning, its sealed credentials and where its sync stands (gvia.store.models_sync)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0028_api'),
    ]

    operations = [
        migrations.CreateModel(
            name='SyncAccount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('provider', models.CharField(max_length=20)),
                ('fields', models.JSONField(blank=True, default=dict, help_text='Settings that are not secret')),
                ('sealed_secrets', models.TextField(blank=True, help_text='The secret credentials, a sealed JSON object')),
                ('active', models.BooleanField(default=True)),
                ('read_through', models.DateField(blank=True, help_text='Documents were read up to this day', null=True)),
                ('last_attempt_at', models.DateTimeField(blank=True, null=True)),
                ('last_success_at', models.DateTimeField(blank=True, null=True)),
                ('last_error', models.CharField(blank=True, help_text='A code: why the last try failed', max_length=60)),
                ('last_counts', models.JSONField(blank=True, default=dict, help_text='What the last sync brought')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
        ),
        migrations.AddConstraint(
            model_name='syncaccount',
            constraint=models.UniqueConstraint(fields=('organization', 'provider'), name='sync_account_unique'),
        ),
    ]
