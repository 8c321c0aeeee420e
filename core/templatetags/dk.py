"""Danish number formatting for amounts ("1.250.000 kr.", "14,5 mio. kr.") and the
machine-readable moments of ``<time datetime>``."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import timezone

register = template.Library()


def _group(integer: int) -> str:
    return f"{integer:,}".replace(",", ".")


@register.filter
def dkk(value) -> str:
    """1250000 -> "1.250.000 kr." (øre shown only when there are any)."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole = int(amount)
    ore = int((amount - whole) * 100)
    text = _group(whole) + (f",{ore:02d}" if ore else "")
    return f"{sign}{text} kr."


@register.filter
def mio(value) -> str:
    """14500000 -> "14,5 mio. kr."; small amounts fall back to :func:`dkk`."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    if abs(amount) < 1_000_000:
        return dkk(amount)
    millions = (amount / Decimal(1_000_000)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{millions:f}".replace(".", ",").removesuffix(",0")
    return f"{text} mio. kr."


@register.filter
def percent(value, digits: int = 1) -> str:
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-int(digits))
    text = f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):f}".replace(".", ",")
    return f"{text} %"


@register.filter
def isodatetime(value) -> str:
    """A moment as a valid HTML ``<time datetime>``: local time, whole seconds and the
    offset ("2026-12-03T14:51:07+01:00"); Django's ``date:"c"`` adds microseconds, which
    the HTML standard does not allow. A date stays a date ("2026-12-03")."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
