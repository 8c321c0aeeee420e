import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseNumberSequence
from cases.numbering import check_case_number_settings
from cases.services import case_create
from core import roles
from tests import factories

pytestmark = pytest.mark.django_db


def test_new_case_gets_number_of_current_year():
    case = case_create(title="Ny sag", administration=factories.administration())
    year = timezone.localdate().year
    assert re.fullmatch(rf"{year}-\d{{7}}", case.number)


def test_numbers_are_sequential_within_a_year():
    admin = factories.administration()
    first = case_create(title="A", administration=admin)
    second = case_create(title="B", administration=admin)
    assert int(second.number.split("-")[1]) == int(first.number.split("-")[1]) + 1


def test_historical_number_can_be_given_and_is_skipped_later():
    admin = factories.administration()
    year = timezone.localdate().year
    case_create(title="Historisk", administration=admin, number=f"{year}-0000001")
    assert Case.objects.get(number=f"{year}-0000001").title == "Historisk"
    automatic = case_create(title="Ny", administration=admin)
    assert automatic.number == f"{year}-0000002"


def test_seed_style_number_is_accepted():
    case = case_create(title="Seed", administration=factories.administration(), number="2009-68440")
    assert case.number == "2009-68440"


@pytest.mark.parametrize("bad", ["68440", "2009-123", "09-68440", "2009_68440", "abcd-12345"])
def test_malformed_number_is_refused_with_message(bad):
    with pytest.raises(ValidationError) as error:
        case_create(title="X", administration=factories.administration(), number=bad)
    assert "number" in error.value.message_dict


def test_case_number_is_unique_in_the_database():
    admin = factories.administration()
    Case.objects.create(number="2009-68440", title="A", administration=admin)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(number="2009-68440", title="B", administration=admin)


# -- the installation's pattern (cases.numbering) ----------------------------------------------
def test_default_draws_copenhagens_seven_digits():
    case = case_create(title="Ny sag", administration=factories.administration())
    assert re.fullmatch(rf"{timezone.localdate().year}-\d{{7}}", case.number)


def test_numbers_drawn_before_stay_and_the_year_counts_on():
    """An installation that drew 2026-00042 before the change keeps it, and the next
    number continues the year's count in the new form."""
    admin = factories.administration()
    year = timezone.localdate().year
    CaseNumberSequence.objects.create(year=year, last_value=42)
    old = Case.objects.create(number=f"{year}-00042", title="Før", administration=admin)
    old.full_clean()  # still a valid number
    assert case_create(title="Efter", administration=admin).number == f"{year}-0000043"


KLE = {
    "CASE_NUMBER_FORMAT": "00.01.00-G01-{sequence}-{yy}",
    "CASE_NUMBER_PATTERN": r"^\d{2}\.\d{2}\.\d{2}-[A-Z]\d{2}-\d+-\d{2}(\d{2})?$",
    "CASE_NUMBER_EXAMPLE": "27.00.00-A00-1-19",
}


def test_a_kle_installation_draws_and_accepts_journal_numbers(settings):
    for name, value in KLE.items():
        setattr(settings, name, value)
    admin = factories.administration()
    yy = f"{timezone.localdate().year % 100:02d}"
    assert case_create(title="Ny", administration=admin).number == f"00.01.00-G01-1-{yy}"
    typed = case_create(title="Ældre", administration=admin, number="27.00.00-A00-12345-2019")
    assert typed.number == "27.00.00-A00-12345-2019"
    with pytest.raises(ValidationError) as error:
        case_create(title="X", administration=admin, number="2019-0077034")
    assert "27.00.00-A00-1-19" in str(error.value.message_dict["number"])


def test_the_item_form_refuses_a_foreign_number_with_the_example(settings, client):
    """Through the page: the message names the installation's own example, the input kept."""
    settings.CASE_NUMBER_EXAMPLE = "2019-0077034"
    client.force_login(factories.user(roles.ADMINISTRATOR))
    response = client.post(reverse("cases:item_create"), {"case_number": "68440", "title": "T"})
    page = response.content.decode()
    assert not Case.objects.exists()
    assert "2019-0077034" in page and 'value="68440"' in page


@pytest.mark.parametrize(
    ("overrides", "ok"),
    [
        ({}, True),
        ({"CASE_NUMBER_FORMAT": "{year}/{sequence}"}, False),  # the pattern refuses it
        ({"CASE_NUMBER_FORMAT": "{year}-{month}-{sequence}"}, False),  # unknown field
        ({"CASE_NUMBER_FORMAT": "{year}-00001"}, False),  # no running number
        ({"CASE_NUMBER_PATTERN": "(("}, False),
        (KLE, True),
    ],
)
def test_the_system_check_refuses_a_format_the_pattern_refuses(settings, overrides, ok):
    for name, value in overrides.items():
        setattr(settings, name, value)
    errors = check_case_number_settings()
    assert (errors == []) is ok
    assert all(error.id == "cases.E001" for error in errors)
