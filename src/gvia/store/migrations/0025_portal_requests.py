"""Migration for what a customer does on their page (issue 16): PortalRequest, one row per action
taken through a page link (told us what happened, a promise, a plan request, a dispute, a proposed
billing contact), whether it was taken at once or waits for a person, what it became, and the
uploads it carried (the page's rate limits count these rows).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0024_customer_history'),
    ]

    operations = [
        migrations.CreateModel(
            name='PortalRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('link_id', models.BigIntegerField(blank=True, help_text='The page link it came through', null=True)),
                ('kind', models.CharField(choices=[('told', 'Told us what happened'), ('promise', 'Promise to pay'), ('plan', 'Payment plan request'), ('dispute', 'Dispute'), ('contact', 'New billing contact')], max_length=10)),
                ('status', models.CharField(choices=[('done', 'Taken at once'), ('pending', 'Waiting for a person'), ('approved', 'Approved'), ('rejected', 'Rejected')], max_length=10)),
                ('data', models.JSONField(blank=True, default=dict, help_text='What the customer asked for, as values')),
                ('waits_for', models.JSONField(blank=True, default=list, help_text='Codes: why it waits for a person')),
                ('result_id', models.BigIntegerField(blank=True, help_text='The promise, plan, dispute, contact or activity it became', null=True)),
                ('uploads', models.IntegerField(default=0)),
                ('at', models.DateTimeField(help_text='When the customer acted')),
                ('decided_by', models.CharField(blank=True, max_length=254)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_note', models.CharField(blank=True, max_length=500)),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='portal_requests', to='gvia.customer')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
            options={
                'indexes': [models.Index(fields=['link_id', 'at'], name='portal_request_link_idx'), models.Index(fields=['organization', 'status', 'at'], name='portal_request_status_idx')],
            },
        ),
    ]
