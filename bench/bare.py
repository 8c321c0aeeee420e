"""Bare baselines: each reads the rows its product page shows with ONE query and renders
them in a minimal template. The benchmark puts each product page beside its bare view.

Same middleware (session, login, CSRF, locale) as the product, so the difference is
what the product adds: permission checks, visibility rules, extra queries, the layout.
"""

from django.db import connection
from django.db.models import F
from django.http import HttpResponse
from django.template import engines

from cases.models import AgendaItem
from helhedsplaner.models import CoFinancing, Plan

TEMPLATE = engines["django"].from_string(
    """<!doctype html><html lang="da"><head><meta charset="utf-8"><title>{{ title }}</title>
</head><body><main><h1>{{ title }}</h1><table><caption>{{ title }}</caption>
{% for row in rows %}<tr>{% for value in row %}<td>{{ value }}</td>{% endfor %}</tr>
{% endfor %}</table></main></body></html>"""
)


def _render(request, title: str, rows) -> HttpResponse:
    return HttpResponse(TEMPLATE.render({"title": title, "rows": list(rows)}, request))


def hello(request):
    """The floor: no query of its own and no template, behind the same middleware (the
    session and the user are still read, as for every signed-in request)."""
    return HttpResponse("Hello, world")


def plan_list(request):
    """The first page of the plan list: 25 plans with their related names."""
    rows = Plan.objects.order_by("name", "pk").values_list(
        "pk",
        "name",
        "status",
        "housing_organisation__name",
        "area__name",
        "lbf_period__name",
        "lead_administration__name",
        "budget",
        "lbf_grant",
    )[:25]
    return _render(request, "Helhedsplaner", rows)


def plan_detail(request, pk: int):
    """The plan and its commitments (the page's largest set), joined, in one query."""
    rows = (
        CoFinancing.objects.filter(plan_id=pk)
        .order_by("year", "administration__name", "pk")
        .values_list(
            "plan__name",
            "plan__status",
            "plan__budget",
            "plan__area__name",
            "administration__name",
            "year",
            "amount",
            "status",
            "pool__name",
        )
    )
    return _render(request, "Helhedsplan", rows)


ITEM_COLUMNS = (
    "number",
    "title",
    "is_closed",
    "case__number",
    "meeting__committee__name",
    "meeting__starts_at",
    "summary",
    "problem",
    "solution",
    "economy",
    "further_process",
    "decision__text",
)


def meeting_detail(request, pk: int):
    """The meeting's agenda items with case, committee and decision, in one query."""
    rows = AgendaItem.objects.filter(meeting_id=pk).order_by("number").values_list(*ITEM_COLUMNS)
    return _render(request, "Dagsorden", rows)


def case_detail(request, number: str):
    """The case's agenda items with their meetings and decisions, in one query."""
    rows = (
        AgendaItem.objects.filter(case__number=number)
        .order_by("meeting__starts_at", "pk")
        .values_list("case__title", *ITEM_COLUMNS)
    )
    return _render(request, "Sag", rows)


def home(request):
    """The ten latest items on published agendas."""
    rows = (
        AgendaItem.objects.filter(meeting__isnull=False)
        .exclude(meeting__status="draft")
        .order_by(F("meeting__starts_at").desc(), "number")
        .values_list("case__number", "meeting__committee__name", "meeting__starts_at", "number")[
            :10
        ]
    )
    return _render(request, "Forside", rows)


# Fixed table and column names below; the search words are a bound parameter.
SEARCH_SQL = " UNION ALL ".join(
    f"""(SELECT '{kind}', t.id, t.{title} FROM {table} t, websearch_to_tsquery('danish', %(q)s) q
      WHERE t.search_da @@ q {extra} ORDER BY ts_rank(t.search_da, q) DESC LIMIT 25)"""  # noqa: S608
    for kind, table, title, extra in (
        ("case", "cases_case", "title", ""),
        ("item", "cases_agendaitem", "title", "AND NOT t.is_closed AND t.meeting_id IS NOT NULL"),
        ("decision", "cases_decision", "text", ""),
        ("attachment", "cases_attachment", "title", ""),
        ("plan", "helhedsplaner_plan", "name", ""),
    )
)


def search(request):
    """The five kinds' best 25 matches each, ranked, in one UNION ALL query (PostgreSQL,
    on the stored search vectors the product uses)."""
    with connection.cursor() as cursor:
        cursor.execute(SEARCH_SQL, {"q": request.GET.get("q", "")})
        rows = cursor.fetchall()
    return _render(request, "Søgning", rows)


def stored_pdf(request, pk: int):
    """A stored PDF served as it is, with ONE query and no checks: the floor of a PDF
    download (the product checks who may read it and that the file is current first)."""
    from django.http import FileResponse

    from cases.models import RenderedFile

    row = RenderedFile.objects.only("file").get(pk=pk)
    return FileResponse(row.file.open("rb"), content_type="application/pdf")
