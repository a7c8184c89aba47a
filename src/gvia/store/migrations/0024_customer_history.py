"""Migration for credit hold and reasons for non-payment (issue 17).

Created empty in advance so that the pieces built side by side keep one chain of migrations;
its operations are filled in by that piece's work.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0023_bank_statements'),
    ]

    operations = []
