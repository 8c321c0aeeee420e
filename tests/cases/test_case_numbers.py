import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case
from cases.services import case_create
from tests import factories

pytestmark = pytest.mark.django_db


def test_new_case_gets_number_of_current_year():
    case = case_create(title="Ny sag", administration=factories.administration())
    year = timezone.localdate().year
    assert re.fullmatch(rf"{year}-\d{{5}}", case.number)


def test_numbers_are_sequential_within_a_year():
    admin = factories.administration()
    first = case_create(title="A", administration=admin)
    second = case_create(title="B", administration=admin)
    assert int(second.number.split("-")[1]) == int(first.number.split("-")[1]) + 1


def test_historical_number_can_be_given_and_is_skipped_later():
    admin = factories.administration()
    year = timezone.localdate().year
    case_create(title="Historisk", administration=admin, number=f"{year}-00001")
    assert Case.objects.get(number=f"{year}-00001").title == "Historisk"
    automatic = case_create(title="Ny", administration=admin)
    assert automatic.number == f"{year}-00002"


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
