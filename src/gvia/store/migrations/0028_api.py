"""Migration for the REST API's keys and the webhooks (issue 18): reserved in the chain so pieces built side by side keep one chain;
its piece fills in the operations (none yet)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0027_suppliers_law'),
    ]

    operations = []
