"""Create the four role groups with their permissions.

This app was called ``config`` until the shared code moved to ``core``: ``replaces``
lets a database migrated under the old name take this migration as applied.
"""

from django.db import migrations

from core.roles import ROLES, sync_roles


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    replaces = [("config", "0001_roles")]

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("committees", "0001_initial"),
        ("cases", "0001_initial"),
        ("helhedsplaner", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_roles, remove_roles)]
