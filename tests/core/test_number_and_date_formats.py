"""One rule for numbers and dates in both languages: numbers the Danish way ("1.717",
"16,5 mio. kr."), the product's figures being Danish kroner; dates in the words of the
interface's language ("13. maj 2009", "13 May 2009")."""

import re
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from core import roles
from core.pagewalk import walk
from core.templatetags.dk import date_format_for_language
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = factories.plan(
        name="Helhedsplan Formater",
        budget=Decimal(16_500_000),
        lbf_grant=Decimal(9_000_000),
        period_start=date(2009, 5, 13),
        period_end=date(2013, 12, 31),
    )
    factories.estate(plan, "Afdeling 1", tenancies=1200)
    factories.estate(plan, "Afdeling 2", tenancies=517)
    return plan


def _pages(client, plan):
    client.force_login(factories.user(roles.CASEWORKER, "formater"))
    detail = client.get(reverse("helhedsplaner:plan_detail", args=[plan.pk]))
    listing = client.get(reverse("helhedsplaner:plan_list"))
    assert detail.status_code == listing.status_code == 200
    return detail.content.decode(), listing.content.decode()


@override_settings(LANGUAGE_CODE="en")
def test_the_english_interface_writes_danish_numbers_and_english_dates(client, plan):
    with translation.override("en"):
        detail, listing = _pages(client, plan)
    assert '<html lang="en">' in detail
    assert "<dd>1.717</dd>" in detail and "1,717" not in detail
    assert "16.500.000 kr." in detail
    assert "13 May 2009 – 31 December 2013" in detail
    assert "13. May" not in detail
    assert "16,5 mio. kr." in listing and "1.717" in listing and "1,717" not in listing


def test_the_danish_interface_writes_the_same_numbers_and_danish_dates(client, plan):
    detail, listing = _pages(client, plan)
    assert "<dd>1.717</dd>" in detail and "16.500.000 kr." in detail
    assert "13. maj 2009 – 31. december 2013" in detail
    assert "16,5 mio. kr." in listing and "1.717" in listing


@pytest.mark.parametrize(
    ("danish", "english"),
    [
        ("j. F Y", "j F Y"),
        ("l j. F Y", "l j F Y"),
        ("j. F Y H:i", "j F Y H:i"),
        ("j. F Y H.i", "j F Y H:i"),
        (r"j. F Y \k\l. H.i", "j F Y H:i"),
        ("H.i", "H:i"),
    ],
)
def test_a_danish_date_format_in_english(danish, english):
    assert date_format_for_language(danish, "da") == danish
    assert date_format_for_language(danish, "en") == english


@override_settings(LANGUAGE_CODE="en")
def test_floatformat_and_intcomma_are_danish_in_english_too():
    template = Template("{% load humanize %}{{ n|intcomma }} {{ x|floatformat:'-2' }}")
    with translation.override("en"):
        assert template.render(Context({"n": 1717, "x": 23.45})) == "1.717 23,45"


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_MIXED = re.compile(rf"\b\d{{1,2}}\. ({_MONTHS})\b|\b\d{{1,3}},\d{{3}}\b|\bkl\. \d")


@override_settings(LANGUAGE_CODE="en")
def test_no_page_of_the_demo_mixes_the_rules_in_english(client):
    """Every page a demo user reaches from the dashboard (core.pagewalk), in English:
    no "13. May 2009", no "1,717", no "kl. 14.00"."""
    call_command("load_demo", stdout=StringIO())
    found, pages = [], 0
    with translation.override("en"):
        for role in ["sagsbehandler", "sekretaer", "politiker", "admin"]:
            client.cookies.clear()
            client.post("/log-ind/", {"username": role, "password": "helhedsplan-demo"})
            for _route, path, html in walk(client):
                pages += 1
                text = re.sub(r"<[^>]+>", " ", html)
                found += [f"{role} {path}: {m.group(0)}" for m in _MIXED.finditer(text)]
    assert pages > 200
    assert found == []
