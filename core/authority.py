"""The one way a view asks the policy layer (each app's ``rules.py``) about an object."""

from django.core.exceptions import PermissionDenied


def authorise(user, perm: str, obj=None) -> None:
    """403 unless the policy layer lets ``user`` do ``perm`` to ``obj``."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied
