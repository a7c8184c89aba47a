"""Migration for the consumer debt notice (issue 15): which charges each debt-notice message lists
(store/models_debt_notice.py). A new table only: no column is added to an existing one."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0025_portal_requests'),
    ]

    operations = [
        migrations.CreateModel(
            name='DebtNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('invoice_ids', models.JSONField(default=list, help_text='The invoices (charges) the notice lists')),
                ('created_at', models.DateTimeField()),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='debt_notices', to='gvia.customer')),
                ('message', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='debt_notice', to='gvia.outboxmessage')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
            options={
                'indexes': [models.Index(fields=['organization', 'customer'], name='debt_notice_customer_idx')],
            },
        ),
    ]
