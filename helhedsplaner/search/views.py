from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from committees.models import Committee
from core.pagecache import shared_page
from core.validation import SaneYearField

from ..plans.forms import FastSelect
from . import selectors as search_service

KIND_LABELS = {
    "cases": _("Cases"),
    "items": _("Agenda items"),
    "decisions": _("Decisions"),
    "attachments": _("Attachments"),
    "plans": _("Helhedsplaner"),
}


class CommitteeSelect(FastSelect):
    as_django = True  # the page's HTML as Django's own template wrote it


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), max_length=200, required=False)
    udvalg = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=Committee.objects.order_by("name"),
        required=False,
        empty_label=_("All committees"),
        widget=CommitteeSelect,
    )
    aar = SaneYearField(label=_("Year"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The options as (id, name) rows: no model instance per committee (the queryset
        # still checks a chosen one).
        field = self.fields["udvalg"]
        field.choices = [
            ("", field.empty_label),
            *Committee.objects.order_by("name").values_list("pk", "name"),
        ]


@shared_page
def search(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        committee = form.cleaned_data["udvalg"]
        results = search_service.search(
            query=form.cleaned_data["q"],
            user=request.user,
            committee_id=committee.pk if committee else None,
            year=form.cleaned_data["aar"],
        )
    groups = []
    if results is not None:
        groups = [(kind, KIND_LABELS[kind], hits) for kind, hits in results.groups.items()]
    return render(
        request,
        "helhedsplaner/search/search.html",
        {"form": form, "results": results, "groups": groups},
    )
