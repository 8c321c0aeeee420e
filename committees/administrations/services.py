"""Writes to the administrations. Every write names the acting user as the history user.
A removal is refused, naming what still refers to the administration, while anything
does (the PROTECT foreign keys are the last guard: a ProtectedError becomes the same kind
of message, never a 500)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from ..models import Administration
from .selectors import administration_uses


def _save(administration: Administration, *, user, code: str, name: str) -> Administration:
    administration.code = code
    administration.name = name
    administration.full_clean()
    administration._history_user = user
    administration.save()
    return administration


@transaction.atomic
def administration_create(*, user, code: str, name: str) -> Administration:
    return _save(Administration(), user=user, code=code, name=name)


@transaction.atomic
def administration_update(
    *, administration: Administration, user, code: str, name: str
) -> Administration:
    administration = Administration.objects.select_for_update().get(pk=administration.pk)
    return _save(administration, user=user, code=code, name=name)


def administration_removal_refusal(administration: Administration) -> str | None:
    """Why ``administration`` cannot be removed now, or None when it can."""
    uses = administration_uses(administration)
    if not uses:
        return None
    return _(
        "“%(name)s” cannot be removed while anything refers to it: %(uses)s. "
        "Move those to another administration first."
    ) % {
        "name": administration.name,
        "uses": ", ".join(f"{count} {what}" for count, what in uses),
    }


@transaction.atomic
def administration_remove(*, administration: Administration, user) -> None:
    administration = Administration.objects.select_for_update().get(pk=administration.pk)
    refusal = administration_removal_refusal(administration)
    if refusal:
        raise ValidationError(refusal, code="in_use")
    administration._history_user = user
    try:
        with transaction.atomic():
            administration.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("“%(name)s” is still in use and cannot be removed.") % {"name": administration},
            code="protected",
        ) from error
