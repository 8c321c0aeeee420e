"""Reads for the administration pages: the list (with what refers to each), one
administration, its history, and what still refers to it."""

from django.db.models import Count
from django.shortcuts import get_object_or_404

from core.history import history_entries

from ..models import Administration


def administration_list() -> list[Administration]:
    """Every administration with how many people work in it, how many committees it serves
    and how many plans it leads."""
    return list(
        Administration.objects.annotate(
            people_count=Count("staff", distinct=True),
            committee_count=Count("committees", distinct=True),
            plan_count=Count("led_plans", distinct=True),
        ).order_by("name")
    )


def administration_get(*, pk: int) -> Administration:
    return get_object_or_404(Administration, pk=pk)


def administration_history(administration: Administration) -> list[dict]:
    return history_entries(Administration.history.filter(id=administration.pk))


def administration_uses(administration: Administration) -> list[tuple[int, str]]:
    """What still refers to ``administration``, one (count, description) per relation that
    does, e.g. (3, "people (administration)"). Every relation is asked, so one an app above
    adds (plans, cases, commitments) is counted without this module knowing it."""
    uses = []
    for relation in Administration._meta.related_objects:
        count = getattr(administration, relation.get_accessor_name()).count()
        if count:
            meta = relation.related_model._meta
            noun = meta.verbose_name if count == 1 else meta.verbose_name_plural
            uses.append((count, f"{noun} ({relation.field.verbose_name})"))
    return uses
