"""Case numbers per installation: how new ones are drawn and which typed ones are accepted.

Two settings (``config/settings/base.py``, from the environment):

- ``CASE_NUMBER_FORMAT``: how a new case's number is drawn. ``{year}`` is the year
  (2027), ``{yy}`` its last two digits (27) and ``{sequence}`` the year's running number,
  with a width if wanted (``{sequence:07d}``). Default ``{year}-{sequence:07d}``, the
  Copenhagen form ``2019-0077034``. A KLE-style installation draws e.g.
  ``00.01.00-G01-{sequence}-{yy}`` (its general subject and facet, a running number, the
  year).
- ``CASE_NUMBER_PATTERN``: the regular expression a typed number must match (a historical
  case, an attachment's own number). The default accepts ``YYYY-`` and five or more digits,
  so every number the product has drawn before (``2026-00001``), the seed's ``2009-68440``
  and Copenhagen's ``2019-0077034`` are all kept and still valid.

``CASE_NUMBER_EXAMPLE`` is the example the refusal message gives. The system check
``cases.E001`` refuses to start when the format draws numbers the pattern refuses.
"""

import re
import string

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 40  # room for KLE journal numbers such as 00.01.00-G01-12345-2027
DEFAULT_FORMAT = "{year}-{sequence:07d}"
DEFAULT_PATTERN = r"^(19|20)\d{2}-\d{5,}$"
DEFAULT_EXAMPLE = "2019-0077034"


def number_format() -> str:
    return getattr(settings, "CASE_NUMBER_FORMAT", DEFAULT_FORMAT)


def number_pattern() -> str:
    return getattr(settings, "CASE_NUMBER_PATTERN", DEFAULT_PATTERN)


def number_example() -> str:
    return getattr(settings, "CASE_NUMBER_EXAMPLE", DEFAULT_EXAMPLE)


def case_number_format(*, year: int, sequence: int) -> str:
    """The number the installation's format gives the ``sequence``-th case of ``year``."""
    return number_format().format(year=year, yy=f"{year % 100:02d}", sequence=sequence)


@deconstructible
class CaseNumberValidator:
    """A typed case number matches the installation's pattern (read when it is used, so
    a migration never freezes one installation's pattern into the schema)."""

    code = "invalid_case_number"

    def __call__(self, value: str) -> None:
        if not re.fullmatch(number_pattern(), value or ""):
            raise ValidationError(
                _("“%(value)s” is not a case number here. A case number looks like %(example)s."),
                code=self.code,
                params={"value": value, "example": number_example()},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, CaseNumberValidator)


case_number_validator = CaseNumberValidator()


@checks.register()
def check_case_number_settings(app_configs=None, **kwargs) -> list:
    """The format draws numbers the pattern accepts, within the column's length."""
    try:
        re.compile(number_pattern())
    except re.error as error:
        return [
            checks.Error(
                f"CASE_NUMBER_PATTERN is not a regular expression: {error}", id="cases.E001"
            )
        ]
    fields = {name for _, name, _, _ in string.Formatter().parse(number_format()) if name}
    if not fields <= {"year", "yy", "sequence"} or "sequence" not in fields:
        return [
            checks.Error(
                "CASE_NUMBER_FORMAT may use {year}, {yy} and {sequence}, and must use {sequence}.",
                id="cases.E001",
            )
        ]
    errors = []
    for sample in (
        case_number_format(year=2027, sequence=1),
        case_number_format(year=2099, sequence=9_999_999),
    ):
        if not re.fullmatch(number_pattern(), sample) or len(sample) > MAX_LENGTH:
            errors.append(
                checks.Error(
                    f"CASE_NUMBER_FORMAT draws {sample!r}, which CASE_NUMBER_PATTERN refuses "
                    f"or which is longer than {MAX_LENGTH} characters.",
                    id="cases.E001",
                )
            )
    return errors
