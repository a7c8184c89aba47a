"""A customer's credit hold (a flag, its reason, since when, set by whom) and a case's reason for
non-payment (one of gvia.core.nonpayment.REASONS, its note, day and source) (issue 17)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0023_bank_statements'),
    ]

    operations = [
        migrations.AddField(model_name='customer', name='credit_hold',
                            field=models.BooleanField(db_default=False, default=False)),
        migrations.AddField(model_name='customer', name='credit_hold_reason',
                            field=models.CharField(blank=True, db_default='', max_length=300)),
        migrations.AddField(model_name='customer', name='credit_hold_since',
                            field=models.DateField(blank=True, null=True)),
        migrations.AddField(model_name='customer', name='credit_hold_by',
                            field=models.CharField(blank=True, db_default='', max_length=254)),
        migrations.AddField(model_name='case', name='nonpayment_reason',
                            field=models.CharField(blank=True, db_default='', max_length=30)),
        migrations.AddField(model_name='case', name='nonpayment_note',
                            field=models.CharField(blank=True, db_default='', max_length=500)),
        migrations.AddField(model_name='case', name='nonpayment_on',
                            field=models.DateField(blank=True, null=True)),
        migrations.AddField(model_name='case', name='nonpayment_source',
                            field=models.CharField(blank=True, db_default='', max_length=20)),
    ]
