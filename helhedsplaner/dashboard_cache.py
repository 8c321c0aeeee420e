"""Cache for the dashboard's figures over all plans, invalidated on every relevant write.

The figures (plans by status and area, totals, plans needing attention) are the
same for every reader (no closed content), but computing them reads every plan,
commitment and agenda item: at the scale of a large municipality that is most of
a second. They are cached under a generation number that every save or delete of
a model they depend on bumps (see ``connect``), and under today's date, since
"stale" depends on it. Bulk writes that bypass signals call ``invalidate()``.
"""

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

GENERATION_KEY = "dashboard:generation"
TIMEOUT = 600  # seconds; a safety net, invalidation does the real work


def _generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def invalidate(**_kwargs) -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def cached(name: str, compute):
    key = f"dashboard:{name}:{_generation()}:{timezone.localdate().isoformat()}"
    return cache.get_or_set(key, compute, TIMEOUT)


def connect() -> None:
    from cases.models import AgendaItem, Decision
    from committees.models import FollowUpGroupMeeting, Meeting

    from .models import (
        Area,
        CoFinancing,
        HousingContribution,
        Plan,
        PlanStatusChange,
    )

    for model in (
        Plan,
        PlanStatusChange,
        CoFinancing,
        HousingContribution,
        Area,
        AgendaItem,
        Decision,
        Meeting,
        FollowUpGroupMeeting,
    ):
        uid = f"dashboard-cache-{model._meta.label_lower}"
        post_save.connect(invalidate, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"{uid}-delete")
    for through in (Plan.agenda_items.through, Plan.follow_up_groups.through):
        m2m_changed.connect(
            invalidate, sender=through, dispatch_uid=f"dashboard-cache-{through._meta.label_lower}"
        )
