"""The one place that says which dates and years the product accepts.

A municipal case system has no business with year 1 or year 9999: such a date is
always a typing error, and at the edges of Python's calendar it breaks pages
(converting 0001-01-01 00:00 Copenhagen time to UTC leaves year 1; PostgreSQL
stores it as a BC date that the driver cannot read back). Every date, datetime
and year a form takes goes through :class:`SaneDateField`, :class:`SaneYearField`
or :func:`validate_sane_date`; a service that takes a date from elsewhere calls
:func:`validate_sane_date` too. Fields with a tighter documented range (indicator
years) keep theirs.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

DATE_MIN = datetime.date(1990, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)
YEAR_MIN = DATE_MIN.year
YEAR_MAX = DATE_MAX.year

DATE_RANGE_MESSAGE = _("Enter a date from 01.01.1990 to 31.12.2100.")
YEAR_RANGE_MESSAGE = _("Enter a year from 1990 to 2100.")


@deconstructible
class SaneDateValidator:
    """A date (or datetime, by its date) from :data:`DATE_MIN` to :data:`DATE_MAX`."""

    message = DATE_RANGE_MESSAGE
    code = "date_range"

    def __call__(self, value):
        if value is None:
            return
        day = value.date() if isinstance(value, datetime.datetime) else value
        if not DATE_MIN <= day <= DATE_MAX:
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, SaneDateValidator)


validate_sane_date = SaneDateValidator()


def date_in_range(value) -> bool:
    try:
        validate_sane_date(value)
    except ValidationError:
        return False
    return True


class SaneDateField(forms.DateField):
    """A date field that accepts only 1990-01-01 to 2100-12-31, with a Danish message.

    The ``min``/``max`` attributes let the browser's date picker say so too.
    """

    default_validators = [validate_sane_date]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if getattr(widget, "input_type", None) == "date":
            attrs.setdefault("min", DATE_MIN.isoformat())
            attrs.setdefault("max", DATE_MAX.isoformat())
        return attrs


class SaneYearField(forms.IntegerField):
    """A year from 1990 to 2100 unless narrower bounds are given, with a message naming them."""

    def __init__(self, *, min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs):
        min_value, max_value = max(min_value, YEAR_MIN), min(max_value, YEAR_MAX)
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)
        if (min_value, max_value) == (YEAR_MIN, YEAR_MAX):
            message = YEAR_RANGE_MESSAGE
        else:
            message = format_lazy(
                _("Enter a year from {min} to {max}."), min=min_value, max=max_value
            )
        self.error_messages.update({"min_value": message, "max_value": message})
