"""The reply mailbox (issue 16): InboundMail (each message read, once by Message-ID or by folder,
UIDVALIDITY and UID), MailboxState (the last UID read, the last poll and its error),
FailingAddress (addresses a delivery status notification said fail) and SuggestedPromise (a
promise read in what a customer wrote, waiting for a person). Models: gvia/store/models_inbound.py.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0020_payment_gateways'),
    ]

    operations = [
        migrations.CreateModel(
            name='InboundMail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('folder', models.CharField(max_length=200)),
                ('uidvalidity', models.BigIntegerField()),
                ('uid', models.BigIntegerField()),
                ('message_id', models.CharField(blank=True, max_length=300)),
                ('kind', models.CharField(choices=[('reply', 'Reply'), ('auto_reply', 'Automatic reply'), ('bounce', 'Delivery failure'), ('report', 'Delivery report')], max_length=12)),
                ('status', models.CharField(choices=[('matched', 'Matched to a customer'), ('unmatched', 'From nobody known'), ('assigned', 'Assigned by a person'), ('dismissed', 'Dismissed')], max_length=12)),
                ('matched_by', models.CharField(blank=True, help_text='thread | address | person', max_length=12)),
                ('from_addr', models.CharField(blank=True, max_length=254)),
                ('from_name', models.CharField(blank=True, max_length=200)),
                ('subject', models.CharField(blank=True, max_length=500)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('read_at', models.DateTimeField()),
                ('text', models.TextField(blank=True, help_text="The writer's own words, quoted history removed")),
                ('data', models.JSONField(blank=True, default=dict)),
                ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='gvia.activity')),
                ('answers', models.ForeignKey(blank=True, help_text="gvia's message it answers (In-Reply-To / References)", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='gvia.outboxmessage')),
                ('customer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='gvia.customer')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
        ),
        migrations.CreateModel(
            name='FailingAddress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('address', models.CharField(max_length=254)),
                ('status', models.CharField(blank=True, help_text="The report's status code, e.g. 5.1.1", max_length=20)),
                ('diagnostic', models.CharField(blank=True, max_length=500)),
                ('since', models.DateTimeField()),
                ('active', models.BooleanField(default=True)),
                ('customer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.customer')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
                ('inbound', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='gvia.inboundmail')),
            ],
        ),
        migrations.CreateModel(
            name='MailboxState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('folder', models.CharField(default='INBOX', max_length=200)),
                ('uidvalidity', models.BigIntegerField(blank=True, null=True)),
                ('last_uid', models.BigIntegerField(default=0)),
                ('polled_at', models.DateTimeField(blank=True, null=True)),
                ('error_code', models.CharField(blank=True, help_text='connect | login | folder; empty: read', max_length=40)),
                ('error_detail', models.CharField(blank=True, max_length=500)),
                ('organization', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
        ),
        migrations.CreateModel(
            name='SuggestedPromise',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('reply', 'Reply'), ('call', 'Call note'), ('portal', 'Customer page')], max_length=10)),
                ('sentence', models.TextField()),
                ('message_date', models.DateField()),
                ('due', models.DateField(blank=True, null=True)),
                ('amount_minor', models.BigIntegerField(blank=True, null=True)),
                ('currency', models.CharField(blank=True, max_length=3)),
                ('status', models.CharField(choices=[('pending', 'Waiting for a person'), ('confirmed', 'Confirmed'), ('dismissed', 'Dismissed')], default='pending', max_length=10)),
                ('decided_by', models.CharField(blank=True, max_length=254)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='gvia.activity')),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.customer')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
                ('promise', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='gvia.promise')),
            ],
        ),
        migrations.AddIndex(
            model_name='inboundmail',
            index=models.Index(fields=['organization', 'status'], name='inbound_status_idx'),
        ),
        migrations.AddConstraint(
            model_name='inboundmail',
            constraint=models.UniqueConstraint(condition=models.Q(('message_id', ''), _negated=True), fields=('organization', 'message_id'), name='inbound_message_id_unique'),
        ),
        migrations.AddConstraint(
            model_name='inboundmail',
            constraint=models.UniqueConstraint(fields=('organization', 'folder', 'uidvalidity', 'uid'), name='inbound_uid_unique'),
        ),
        migrations.AddConstraint(
            model_name='failingaddress',
            constraint=models.UniqueConstraint(fields=('organization', 'address'), name='failing_address_unique'),
        ),
        migrations.AddIndex(
            model_name='suggestedpromise',
            index=models.Index(fields=['organization', 'status'], name='suggested_promise_status_idx'),
        ),
    ]
