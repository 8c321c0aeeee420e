"""A test-only URLconf: a shared page made of two fragments (tests/core/test_fragments.py)."""

from django.http import HttpResponse
from django.urls import include, path
from django.utils.html import escape

from cases.models import AgendaItem
from core.fragments import cached_fragments
from core.pagecache import ALL, item_scope, shared_page

rendered: list = []  # the parts rendered, in order, across requests


def _render(ids):
    rendered.extend(ids)
    titles = dict(AgendaItem.objects.filter(pk__in=ids).values_list("pk", "title"))
    return {pk: f"<li>{escape(titles[pk])}</li>" for pk in ids}


@shared_page(scopes=lambda request: [ALL])
def two_items(request):
    ids = [int(pk) for pk in request.GET["items"].split(",")]
    html = cached_fragments(request, "test-item", {pk: [item_scope(pk)] for pk in ids}, _render)
    return HttpResponse("<ul>" + "".join(html[pk] for pk in ids) + "</ul>")


urlpatterns = [
    path("test/fragmenter/", two_items),
    path("", include("config.urls")),
]
