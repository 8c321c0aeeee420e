"""Every existing item gets its first recommendation block.

The block holds the item's recommending administration and, where the free-text route
("over for Økonomiudvalget og Borgerrepræsentationen") names committees that exist, the
item's committee as recommending committee and those committees as addressees; the route
text is then cleared. A route that does not parse is kept as it was (the form still shows
it), so nothing typed is lost. Reversing moves addressees back into the route text.
"""

import re

from django.db import migrations


def _names(route: str) -> list[str]:
    text = route.strip().rstrip(",.")
    text = re.sub(r"^over for\s+", "", text, flags=re.IGNORECASE)
    parts = re.split(r",\s*|\s+og\s+", text)
    return [part.strip() for part in parts if part.strip()]


def forward(apps, schema_editor):
    AgendaItem = apps.get_model("cases", "AgendaItem")
    Block = apps.get_model("cases", "RecommendationBlock")
    Party = apps.get_model("cases", "RecommendationParty")
    Point = apps.get_model("cases", "RecommendationPoint")
    Committee = apps.get_model("committees", "Committee")
    by_name = {c.name.lower(): c for c in Committee.objects.all()}
    by_short = {c.short_name.lower(): c for c in Committee.objects.all()}
    for item in AgendaItem.objects.select_related("meeting").iterator():
        block = Block.objects.create(item=item, position=1)
        Party.objects.create(
            block=block,
            role="administration",
            position=1,
            administration_id=item.recommending_administration_id,
        )
        Point.objects.filter(item=item).update(block=block)
        if not item.route.strip() or not item.route.strip().lower().startswith("over for"):
            continue
        names = _names(item.route)
        found = [by_name.get(n.lower()) or by_short.get(n.lower()) for n in names]
        if not names or None in found:
            continue
        if item.meeting_id is not None:
            Party.objects.create(
                block=block, role="committee", position=1, committee_id=item.meeting.committee_id
            )
        for position, committee in enumerate(found, start=1):
            Party.objects.create(
                block=block, role="addressee", position=position, committee=committee
            )
        AgendaItem.objects.filter(pk=item.pk).update(route="")


def backward(apps, schema_editor):
    AgendaItem = apps.get_model("cases", "AgendaItem")
    Party = apps.get_model("cases", "RecommendationParty")
    for item in AgendaItem.objects.filter(route=""):
        names = [
            party.committee.name
            for party in Party.objects.filter(
                block__item=item, block__position=1, role="addressee"
            ).select_related("committee").order_by("position")
        ]
        if names:
            joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]
            AgendaItem.objects.filter(pk=item.pk).update(route=f"over for {joined}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_recommendation_blocks"),
        ("committees", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
