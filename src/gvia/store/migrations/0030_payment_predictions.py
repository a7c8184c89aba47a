"""Migration for predicted payment dates and the worklist's ordering (issue 17): reserved in the chain so pieces built side by side keep one chain;
its piece fills in the operations (none yet)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0029_invoicing_sync'),
    ]

    operations = []
