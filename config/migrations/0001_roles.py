"""Create the four role groups with their permissions."""

from django.db import migrations

from config.roles import ROLES, sync_roles


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("committees", "0001_initial"),
        ("cases", "0001_initial"),
        ("helhedsplaner", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_roles, remove_roles)]
