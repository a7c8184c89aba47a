"""Members of an organization lose staff and superuser rights.

`gvia init` used to make every first owner a Django superuser, and the Django admin showed them
every organization's data (issue 14). The admin is now for operators only — users made by
`gvia operator create`, who belong to no organization — so every user with a membership is
made an ordinary user. Nothing is given back when migrating backwards.
"""

from django.conf import settings
from django.db import migrations


def members_are_not_staff(apps, schema_editor):
    Membership = apps.get_model("gvia", "Membership")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    members = Membership.objects.values("user_id")
    User.objects.filter(id__in=members).filter(is_staff=True).update(is_staff=False)
    User.objects.filter(id__in=members).filter(is_superuser=True).update(is_superuser=False)


class Migration(migrations.Migration):
    dependencies = [
        ("gvia", "0010_import_write_less"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(members_are_not_staff, migrations.RunPython.noop)]
