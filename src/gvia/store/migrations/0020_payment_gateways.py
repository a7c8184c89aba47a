"""Payment gateways (issue 16): an organization's account at a gateway (the secret credentials
sealed), the payment pages created there (checkouts), the transactions they brought (unique per
organization, gateway and transaction id: a payment is recorded once) with the payments they made
and the payout that brought them to the bank, and every notification received (forged and
replayed ones too)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0019_portal'),
    ]

    operations = [
        migrations.CreateModel(
            name='GatewayAccount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('gateway', models.CharField(max_length=20)),
                ('fields', models.JSONField(blank=True, default=dict, help_text='Credentials that are not secret')),
                ('sealed_secrets', models.TextField(blank=True, help_text='The secret credentials, a sealed JSON object')),
                ('notify_token', models.CharField(max_length=64, unique=True)),
                ('active', models.BooleanField(default=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
        ),
        migrations.CreateModel(
            name='GatewayCheckout',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('gateway_ref', models.CharField(help_text="The gateway's id of the page", max_length=200)),
                ('sealed_secret', models.TextField(blank=True, help_text='What only the gateway and gvia know of it, sealed')),
                ('reference', models.CharField(help_text="The case's payment reference", max_length=100)),
                ('invoices', models.JSONField(default=list, help_text='[[invoice id, open minor units at creation], …]')),
                ('amount_minor', models.BigIntegerField()),
                ('currency', models.CharField(max_length=3)),
                ('url', models.URLField(max_length=2000)),
                ('status', models.CharField(choices=[('open', 'Open'), ('paid', 'Paid')], default='open', max_length=8)),
                ('created_on', models.DateField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='checkouts', to='gvia.gatewayaccount')),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.customer')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
        ),
        migrations.CreateModel(
            name='GatewayNotification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('gateway', models.CharField(max_length=20)),
                ('outcome', models.CharField(choices=[('recorded', 'Payment recorded'), ('replayed', 'Already recorded'), ('forged', 'Refused: not from the gateway'), ('stale', 'Refused: too old'), ('ignored', 'Not a payment'), ('refused', 'Refused')], max_length=10)),
                ('code', models.CharField(blank=True, max_length=60)),
                ('event_id', models.CharField(blank=True, max_length=200)),
                ('transaction_id', models.CharField(blank=True, max_length=200)),
                ('body_sha256', models.CharField(max_length=64)),
                ('size', models.IntegerField()),
                ('received_at', models.DateTimeField()),
                ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
            ],
        ),
        migrations.CreateModel(
            name='GatewayTransaction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('gateway', models.CharField(max_length=20)),
                ('transaction_id', models.CharField(max_length=200)),
                ('amount_minor', models.BigIntegerField()),
                ('currency', models.CharField(max_length=3)),
                ('received_on', models.DateField()),
                ('payout_id', models.CharField(blank=True, help_text="The gateway's payout to the bank (issue 18)", max_length=200)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('checkout', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='transactions', to='gvia.gatewaycheckout')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='gvia.organization')),
                ('payments', models.ManyToManyField(related_name='gateway_transactions', to='gvia.payment')),
            ],
        ),
        migrations.AddConstraint(
            model_name='gatewayaccount',
            constraint=models.UniqueConstraint(fields=('organization', 'gateway'), name='gateway_account_unique'),
        ),
        migrations.AddConstraint(
            model_name='gatewaycheckout',
            constraint=models.UniqueConstraint(fields=('account', 'gateway_ref'), name='gateway_checkout_ref_unique'),
        ),
        migrations.AddIndex(
            model_name='gatewaynotification',
            index=models.Index(fields=['organization', 'received_at'], name='gateway_notice_org_idx'),
        ),
        migrations.AddIndex(
            model_name='gatewaytransaction',
            index=models.Index(fields=['organization', 'payout_id'], name='gateway_txn_payout_idx'),
        ),
        migrations.AddConstraint(
            model_name='gatewaytransaction',
            constraint=models.UniqueConstraint(fields=('organization', 'gateway', 'transaction_id'), name='gateway_transaction_unique'),
        ),
    ]
