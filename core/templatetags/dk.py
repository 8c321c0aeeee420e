"""Danish number formatting for amounts ("1.250.000 kr.", "14,5 mio. kr."), dates in the
interface's language and the machine-readable moments of ``<time datetime>``.

The one rule, in both languages: numbers are written the Danish way (the figures are Danish
kroner: "1.717", "16,5 mio. kr."; for Django's own ``intcomma`` and ``floatformat`` the English
formats say so too, config/formats/en/formats.py), and dates in the words of the interface's
language: "13. maj 2009" in Danish, "13 May 2009" in English (:func:`dkdate`)."""

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

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


_DANISH_ONLY = [
    (re.compile(r"\\k\\l\. ?"), ""),  # "kl." before the time
    (re.compile(r"(?<![\\])j\."), "j"),  # "13." the ordinal day
    (re.compile(r"H\.i"), "H:i"),  # "14.30"
]


def date_format_for_language(format_string: str, language: str | None = None) -> str:
    """A date format written the Danish way ("j. F Y \\k\\l. H.i"), for ``language`` (the
    active one by default): unchanged in Danish; in another language without what only
    Danish writes (the day's dot, "kl.", the dot in the time): "j F Y H:i"."""
    language = language or translation.get_language() or "da"
    if language.split("-")[0] == "da":
        return format_string
    for pattern, replacement in _DANISH_ONLY:
        format_string = pattern.sub(replacement, format_string)
    return format_string


@register.filter(expects_localtime=True, is_safe=False)
def dkdate(value, format_string: str = "j. F Y") -> str:
    """A date or moment in the interface's language: "13. maj 2009" / "13 May 2009"; the
    format is written the Danish way (``{{ meeting.starts_at|dkdate:"j. F Y H.i" }}``)."""
    if value is None or value == "":
        return ""
    return date_filter(value, date_format_for_language(format_string))


def date_text(value, format_string: str = "j. F Y") -> str:
    """:func:`dkdate` for Python code (messages, labels): local time, the active language."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dkdate(value, format_string)
