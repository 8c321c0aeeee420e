"""The form renderer (core/formrender.py) writes what Django's widget templates write."""

import re
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import override_settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from core.formrender import WRITERS, FastRenderer
from tests import factories
from tests.formpage import submit_data

DJANGO, FAST = DjangoTemplates(), FastRenderer()


class Every(forms.Form):
    text = forms.CharField(max_length=20, help_text="Hint")
    number = forms.IntegerField(required=False)
    amount = forms.DecimalField(required=False, localize=True)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    agree = forms.BooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "data-x": "a&b"}))
    kinds = forms.MultipleChoiceField(
        choices=[("a", "Æble & co"), ("<b>", mark_safe("<em>fed</em>")), (3, 1234)],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    one = forms.ChoiceField(
        choices=[("x", "X"), ("y", "Y <y>")], widget=forms.RadioSelect, required=False
    )
    flags = forms.CharField(
        widget=forms.TextInput(attrs={"autofocus": True, "disabled": False, "title": '"q"'}),
        required=False,
    )


DATA = [
    {},
    {
        "text": '<script>"x"</script> & ø',
        "number": "12",
        "amount": "1.234,5",
        "email": "bad",
        "url": "x y",
        "secret": "p&w",
        "hidden": mark_safe("<safe>"),
        "day": "2026-13-40",
        "agree": "on",
        "note": "line 1\n<line 2> & ø",
        "kinds": ["a", "<b>", "3"],
        "one": "y",
        "flags": "",
    },
    {"text": "", "note": "", "kinds": [], "agree": ""},
]


def rendered(renderer, data, *, wrap):
    form = Every(data or None, initial={"text": "først", "amount": Decimal("16500000.5")})
    form.renderer = renderer
    form.is_valid() if data else None
    parts = [str(form[name]) for name in form.fields]
    for name in ("kinds", "one"):
        parts += [widget.tag(wrap_label=wrap) for widget in form[name]]
        parts += [str(widget) for widget in form[name]]
    return parts


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("wrap", [False, True])
@pytest.mark.parametrize("language", ["da", "en"])
def test_every_widget_written_in_python_is_what_djangos_template_writes(data, wrap, language):
    with override_settings(LANGUAGE_CODE=language, USE_THOUSAND_SEPARATOR=True):
        from django.utils import translation

        with translation.override(language):
            fast = rendered(FAST, data, wrap=wrap)
            slow = rendered(DJANGO, data, wrap=wrap)
    assert fast == slow
    assert any("&lt;script&gt;" in part for part in fast) is bool(data and data.get("text"))


def test_the_python_writers_are_used_and_other_templates_are_left_to_django(monkeypatch):
    used = []
    for name, write in list(WRITERS.items()):
        monkeypatch.setitem(
            WRITERS, name, lambda widget, write=write, name=name: used.append(name) or write(widget)
        )
    form = Every()
    form.renderer = FAST
    html = str(form["text"]) + str(form["note"]) + form["kinds"][0].tag()
    assert used == [
        "django/forms/widgets/text.html",
        "django/forms/widgets/textarea.html",
        "django/forms/widgets/checkbox_option.html",
    ]
    # The form's own template (div.html) and the list of checkboxes, which includes its
    # options within one template, are Django's.
    used.clear()
    html += str(form["kinds"]) + form.as_div()
    assert '<div id="id_kinds">' in html and "<label" in html
    assert "django/forms/widgets/checkbox_option.html" not in used


def test_the_project_uses_the_fast_renderer():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FastRenderer)


@pytest.mark.django_db
@pytest.mark.parametrize("bound", [False, True])
def test_the_plan_form_page_is_the_same_with_djangos_renderer(client_for, caseworker, bound):
    period = factories.lbf_period(focus=("Beskæftigelse", "Uddannelse & livschancer"))
    plan = factories.plan(
        "Helhedsplan <Ø>", description="Linje 1\n<b>Linje 2</b>", lbf_period=period
    )
    factories.estate(plan, name="Afdeling & 1", tenancies=120)
    client = client_for(caseworker)
    url = reverse("helhedsplaner:plan_edit", args=[plan.pk])
    data = {**submit_data(client.get(url).content.decode()), "budget": "ikke et tal"}

    def page():
        response = client.post(url, data) if bound else client.get(url)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())

    fast = page()
    with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
        slow = page()
    assert ("ikke et tal" in fast) is bound
    assert 'name="estates-0-name"' in fast and "Linje 1\n&lt;b&gt;" in fast
    assert fast == slow
