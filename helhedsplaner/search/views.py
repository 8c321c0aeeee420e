import hashlib

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from committees.models import Committee
from core.fragments import cached_fragments, caching
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


def _hits_as_fragments(request, query: str, **filters) -> search_service.Results:
    """The hits, each a fragment kept under the scope of the row it shows (a case's, an
    agenda item's or a plan's, see ``search_service.SCOPE_COLUMNS``) and the query (its
    words are marked in the snippet): the ranked ids are read first, and only the hits
    not cached are read and built (a new title on one item re-renders that hit alone).
    Which rows the reader may find is decided by the first phase; the hits are kept per
    kind of reader as every fragment is."""
    found = search_service.find(query=query, user=request.user, **filters)
    parts = {f"{kind}-{pk}": (scope,) for kind, rows in found.items() for pk, scope in rows}

    def render_hits(missing):
        by_kind = {}
        for part in missing:
            kind, pk = part.split("-")
            by_kind.setdefault(kind, []).append(int(pk))
        html = {}
        for kind, pks in by_kind.items():
            hits = search_service.read_hits(kind, pks, query)
            html.update({f"{kind}-{pk}": search_service.hit_html(hits[pk]) for pk in pks})
        return html

    digest = hashlib.sha256(query.strip().encode()).hexdigest()[:24]
    html = cached_fragments(request, f"search-hit:{digest}", parts, render_hits)
    results = search_service.Results(query=query.strip())
    results.groups = {
        kind: [html[f"{kind}-{pk}"] for pk, _scope in rows] for kind, rows in found.items()
    }
    return results


@shared_page
def search(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        committee = form.cleaned_data["udvalg"]
        filters = {
            "committee_id": committee.pk if committee else None,
            "year": form.cleaned_data["aar"],
        }
        if caching(request):
            results = _hits_as_fragments(request, form.cleaned_data["q"], **filters)
        else:
            # Nothing is kept: the hits are read and built in one phase.
            results = search_service.search(
                query=form.cleaned_data["q"], user=request.user, **filters
            )
            results.groups = {
                kind: [search_service.hit_html(hit) for hit in hits]
                for kind, hits in results.groups.items()
            }
    groups = []
    if results is not None:
        groups = [(kind, KIND_LABELS[kind], hits) for kind, hits in results.groups.items()]
    return render(
        request,
        "helhedsplaner/search/search.html",
        {"form": form, "results": results, "groups": groups},
    )
