"""Writes for cases, agenda items, attachments and decisions.

Every write goes through a function here, inside a transaction, so the rules
live in one place and the history rows carry the acting user.
"""

from django.db import transaction
from django.utils import timezone

from committees.models import Administration

from .models import Case, CaseNumberSequence


def case_number_next(*, year: int) -> str:
    """Draw the next free case number for ``year``; call inside a transaction.

    The year's counter row is locked (``select_for_update``) so that two cases
    created at the same moment never get the same number; numbers entered by
    hand for historical cases are skipped.
    """
    CaseNumberSequence.objects.bulk_create(
        [CaseNumberSequence(year=year, last_value=0)], ignore_conflicts=True
    )
    sequence = CaseNumberSequence.objects.select_for_update().get(year=year)
    while True:
        sequence.last_value += 1
        number = f"{year}-{sequence.last_value:05d}"
        if not Case.objects.filter(number=number).exists():
            break
    sequence.save(update_fields=["last_value"])
    return number


@transaction.atomic
def case_create(
    *,
    title: str,
    administration: Administration,
    number: str | None = None,
    description: str = "",
    opened_on=None,
) -> Case:
    """Create a case; without ``number`` the next free ``YYYY-NNNNN`` is assigned."""
    if not number:
        number = case_number_next(year=timezone.localdate().year)
    case = Case(
        number=number,
        title=title,
        administration=administration,
        description=description,
        opened_on=opened_on or timezone.localdate(),
    )
    case.full_clean()
    case.save()
    return case
