"""Migration for the customer's page: links and what the customer does there (issue 16).

Created empty in advance so that the pieces built side by side keep one chain of migrations;
its operations are filled in by that piece's work.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0018_risk_weights'),
    ]

    operations = []
