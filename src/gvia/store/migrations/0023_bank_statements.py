"""Bank statements and their matches (issue 18): BankStatement (an imported file), BankLine (a
booked line, unique per organization by its identity), BankMatch (what a line is, with its
confidence and reasons; suggested, applied, rejected or undone) and BankMatchPayment (the payments an
applied match recorded or linked; a payment accounts for one line at most).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0022_sms_whatsapp'),
    ]

    operations = [
        migrations.CreateModel(
            name='BankLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=40)),
                ('position', models.IntegerField()),
                ('account', models.CharField(blank=True, max_length=64)),
                ('booking_date', models.DateField()),
                ('value_date', models.DateField(blank=True, null=True)),
                ('amount_minor', models.BigIntegerField()),
                ('currency', models.CharField(max_length=3)),
                ('text', models.TextField(blank=True)),
                ('reference', models.CharField(blank=True, max_length=140)),
                ('end_to_end_id', models.CharField(blank=True, max_length=140)),
                ('payer_name', models.CharField(blank=True, max_length=200)),
                ('payer_account', models.CharField(blank=True, max_length=64)),
                ('status', models.CharField(choices=[('open', 'Waiting'), ('applied', 'Recorded as payments'), ('linked', 'Linked to what was recorded'), ('debit', 'Money out')], default='open', max_length=8)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
        ),
        migrations.CreateModel(
            name='BankMatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=10)),
                ('status', models.CharField(choices=[('suggested', 'Waiting for a person'), ('applied', 'Applied'), ('rejected', 'Rejected'), ('undone', 'Undone')], default='suggested', max_length=10)),
                ('confidence', models.SmallIntegerField()),
                ('reasons', models.JSONField(default=list, help_text='[{code, params}, …] as core/matching.py gives them')),
                ('plan', models.JSONField(default=dict, help_text='{allocations: [[invoice id, minor]], recorded: [payment ids], gateway: [gateway transaction ids]}')),
                ('auto', models.BooleanField(default=False, help_text='Applied without a person')),
                ('decided_by', models.CharField(blank=True, max_length=254)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('customer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.customer')),
                ('line', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='matches', to='gvia.bankline')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
        ),
        migrations.CreateModel(
            name='BankMatchPayment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created', models.BooleanField()),
                ('match', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='payments', to='gvia.bankmatch')),
                ('payment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.payment')),
            ],
        ),
        migrations.CreateModel(
            name='BankStatement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file_name', models.CharField(max_length=255)),
                ('sha256', models.CharField(max_length=64)),
                ('format', models.CharField(max_length=10)),
                ('bank', models.CharField(blank=True, max_length=20)),
                ('lines_read', models.IntegerField(default=0)),
                ('lines_new', models.IntegerField(default=0)),
                ('imported_by', models.CharField(blank=True, max_length=254)),
                ('imported_at', models.DateTimeField()),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
        ),
        migrations.AddField(
            model_name='bankline',
            name='statement',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='gvia.bankstatement'),
        ),
        migrations.AddIndex(
            model_name='bankmatch',
            index=models.Index(fields=['organization', 'status'], name='bank_match_status_idx'),
        ),
        migrations.AddConstraint(
            model_name='bankmatchpayment',
            constraint=models.UniqueConstraint(fields=('payment',), name='bank_match_payment_once'),
        ),
        migrations.AddIndex(
            model_name='bankline',
            index=models.Index(fields=['organization', 'status'], name='bank_line_status_idx'),
        ),
        migrations.AddConstraint(
            model_name='bankline',
            constraint=models.UniqueConstraint(fields=('organization', 'key'), name='bank_line_key_unique'),
        ),
    ]
