"""One error summary, worded the same on every form: the apps' partials include it."""

import pytest
from django import forms
from django.template.loader import render_to_string

HEADING = '<h2 id="error-summary-title">Formularen blev ikke gemt. Ret følgende:</h2>'


class NameForm(forms.Form):
    name = forms.CharField(label="Navn")


@pytest.mark.parametrize(
    ("template", "context", "link"),
    [
        (
            "cases/partials/error_summary.html",
            {"errors": [{"anchor": "id_title", "label": "Titel", "message": "Skriv en titel."}]},
            '<a href="#id_title">Titel: Skriv en titel.</a>',
        ),
        (
            "committees/partials/error_summary.html",
            {"errors": [{"anchor": "id_name", "label": "Navn", "message": "Skriv et navn."}]},
            '<a href="#id_name">Navn: Skriv et navn.</a>',
        ),
        (
            "helhedsplaner/partials/error_summary.html",
            {"errors": [{"href": "#id_budget", "text": "Samlet budget: Skriv et tal."}]},
            '<a href="#id_budget">Samlet budget: Skriv et tal.</a>',
        ),
        (
            "helhedsplaner/cofinancing/partials/form_errors.html",
            {"form": NameForm(data={})},
            '<a href="#id_name">Navn: Dette felt er påkrævet.</a>',
        ),
    ],
)
def test_every_summary_has_the_one_heading_focus_and_links(template, context, link):
    html = render_to_string(template, context)
    assert HEADING in html
    assert '<div class="error-summary" role="alert" autofocus tabindex="-1"' in html
    assert link in html


def test_an_entry_without_a_field_is_listed_without_a_link():
    html = render_to_string(
        "cases/partials/error_summary.html",
        {"errors": [{"anchor": "", "label": "", "message": "Mødet er aflyst."}]},
    )
    assert "<li>Mødet er aflyst.</li>" in html


def test_no_errors_no_summary():
    assert "error-summary" not in render_to_string("cases/partials/error_summary.html", {})
    form = NameForm()
    assert "error-summary" not in render_to_string(
        "helhedsplaner/cofinancing/partials/form_errors.html", {"form": form}
    )
