"""Migration for the REST API's keys (issue 18): ApiKey, one row per key of an organization — its
name, public prefix, the SHA-256 digest of the whole key (the key itself is never stored), its
scope, and when it was made, last used and revoked."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0027_suppliers_law'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='What the key is for, as its maker named it', max_length=100)),
                ('prefix', models.CharField(help_text="The key's public start, shown in lists", max_length=16, unique=True)),
                ('digest', models.CharField(help_text='SHA-256 of the whole key (hex)', max_length=64, unique=True)),
                ('scope', models.CharField(choices=[('read', 'Read'), ('write', 'Read and write'), ('admin', 'Read, write and manage keys')], default='read', max_length=8)),
                ('created_by', models.CharField(blank=True, max_length=254)),
                ('created_at', models.DateTimeField()),
                ('last_used_at', models.DateTimeField(blank=True, null=True)),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('revoked_by', models.CharField(blank=True, max_length=254)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
            options={
                'indexes': [models.Index(fields=['organization', 'revoked_at'], name='api_key_org_idx')],
            },
        ),
    ]
