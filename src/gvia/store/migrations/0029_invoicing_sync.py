"""Migration for sync with Morning and iCount (issue 18): reserved in the chain so pieces built side by side keep one chain;
its piece fills in the operations (none yet)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0028_api'),
    ]

    operations = []
