"""Secretaries set up follow-up groups and their members in the product's own screens
(issue 17): the secretary role may add and change groups and add, change and remove
members (the object rules in ``helhedsplaner/rules.py`` narrow it to their groups)."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_cachescope"),
        ("committees", "0006_administration_add_act_for_all_permission"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
