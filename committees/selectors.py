"""Reads for the political machinery."""

from django.db.models import Q
from django.utils import timezone

from .models import Membership


def committee_ids_for_user(user) -> frozenset[int]:
    """Committees the user currently sits on or serves as secretary (cached on the user)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_committee_ids", None)
    if cached is None:
        today = timezone.localdate()
        cached = frozenset(
            Membership.objects.filter(person__user=user, start_date__lte=today)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .values_list("committee_id", flat=True)
        )
        user._committee_ids = cached
    return cached


def administration_id_for_user(user) -> int | None:
    """The administration a member of staff works in, if any (cached on the user)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_administration_id"):
        person = getattr(user, "person", None)
        user._administration_id = person.administration_id if person else None
    return user._administration_id
