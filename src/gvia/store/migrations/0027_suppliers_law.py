"""Migration for the suppliers' payment law and allocation-number checks (issue 15): reserved in the chain so pieces built side by side keep one chain;
its piece fills in the operations (none yet)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0026_debt_notice'),
    ]

    operations = []
