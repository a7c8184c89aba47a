"""A payment plan's signed agreement on file and the day it was signed (gvia plan sign): the written,
signed acknowledgment that restarts the limitation period of the debts it covers."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0013_outbox_journal_mark'),
    ]

    operations = [
        migrations.AddField(
            model_name='paymentplan',
            name='signed_agreement',
            field=models.ForeignKey(blank=True, help_text='The plan as signed by the customer', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='gvia.document'),
        ),
        migrations.AddField(
            model_name='paymentplan',
            name='signed_on',
            field=models.DateField(blank=True, help_text='The day the customer signed it', null=True),
        ),
    ]
