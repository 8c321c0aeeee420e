"""Cached pages are keyed by the versions of what they show (``core.pagecache``): one row per
scope instead of one generation for everything. The old generation becomes the version of
``access``, so pages cached before the migration are never served after it."""

from django.db import migrations, models


def generation_to_access(apps, schema_editor):
    CacheGeneration = apps.get_model("core", "CacheGeneration")
    CacheScope = apps.get_model("core", "CacheScope")
    row = CacheGeneration.objects.filter(pk=1).first()
    CacheScope.objects.update_or_create(
        scope="access", defaults={"version": (row.value if row else 0) + 1}
    )


def access_to_generation(apps, schema_editor):
    CacheGeneration = apps.get_model("core", "CacheGeneration")
    CacheScope = apps.get_model("core", "CacheScope")
    row = CacheScope.objects.filter(scope="access").first()
    CacheGeneration.objects.update_or_create(
        pk=1, defaults={"value": (row.version if row else 0) + 1}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_cachegeneration"),
    ]

    operations = [
        migrations.CreateModel(
            name="CacheScope",
            fields=[
                ("scope", models.CharField(max_length=120, primary_key=True, serialize=False)),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "cache scope",
                "verbose_name_plural": "cache scopes",
            },
        ),
        migrations.RunPython(generation_to_access, access_to_generation),
        migrations.DeleteModel(name="CacheGeneration"),
    ]
