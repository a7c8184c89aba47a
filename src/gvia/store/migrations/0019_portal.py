"""Migration for the customer's page (issue 16): PortalLink, one issued link to a customer's page
(its random token id, the day it stops opening, its revocation, who or what issued it, the last
day it was opened). What the customer does on the page is 0025_portal_requests.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0018_risk_weights'),
    ]

    operations = [
        migrations.CreateModel(
            name='PortalLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_id', models.CharField(help_text='Random; the URL carries it signed', max_length=64, unique=True)),
                ('issued_on', models.DateField()),
                ('expires_on', models.DateField(help_text='The last day the link opens the page')),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('issued_by', models.CharField(choices=[('message', 'A message'), ('letter', 'A letter'), ('person', 'A person'), ('system', 'gvia')], default='person', max_length=10)),
                ('issued_ref', models.CharField(blank=True, help_text="The message's id, the letter's, or the person's e-mail", max_length=254)),
                ('last_opened_on', models.DateField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='portal_links', to='gvia.customer')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
            options={
                'indexes': [models.Index(fields=['customer', 'issued_by', 'issued_ref'], name='portal_link_issuer_idx')],
            },
        ),
    ]
