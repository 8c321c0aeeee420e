"""The role groups gain the model permissions the issue-17 screens' rules now require:
caseworkers add, change and remove reference data (areas, housing organisations, LBF
periods, focus areas, indicators); secretaries change their committees, memberships and
the common policy. The object rules (``helhedsplaner/rules.py``, ``committees/rules.py``)
narrow them, as before. Reversing leaves the groups as they are (the previous migration's
set is a subset, and the rules ask for both)."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_roles_follow_up_groups"),
        ("committees", "0007_committee_established_by_membership_substitute"),
        ("helhedsplaner", "0008_indicatorimport"),
        ("cases", "0005_renderedfile_reports"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
