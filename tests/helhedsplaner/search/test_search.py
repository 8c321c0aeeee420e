import pytest
from django.db import connection
from django.urls import reverse

from committees.models import Committee
from helhedsplaner.search.selectors import danish_stem, search
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    biu = factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget")
    tmu = factories.committee("TMU", name="Teknik- og Miljøudvalget")
    seed_case = factories.case(
        "2009-68440",
        title="Styring af de politiske processer i forbindelse med boligsociale helhedsplaner",
    )
    meeting = factories.meeting(biu)
    item = factories.item(
        meeting,
        number=18,
        case_obj=seed_case,
        title=seed_case.title,
        problem="Arbejdet med de boligsociale handlingsplaner har været stramt.",
    )
    factories.decision(item, outcome="noted", text="Udvalget drøftede styringen af planerne.")
    factories.attachment(
        item, title="Nye procesmuligheder for områdebaserede indsatser", case_number="2009-300035"
    )
    closed_meeting = factories.meeting(tmu, day=factories.date(2010, 3, 1))
    closed = factories.item(
        closed_meeting,
        title="Hemmeligt ejendomskøb i Tingbjerg",
        is_closed=True,
        problem="Købesummen for lejemålet er fortrolig.",
    )
    factories.attachment(closed, title="Fortrolig valuarvurdering", is_closed=True)
    factories.plan(
        name="Helhedsplan Tingbjerg-Utterslevhuse",
        description="En boligsocial helhedsplan for Tingbjerg.",
    )
    return {"biu": biu, "tmu": tmu, "item": item, "closed": closed}


def titles(results, kind):
    return [hit.title for hit in results.groups.get(kind, [])]


def test_danish_stemming_fallback():
    assert danish_stem("helhedsplanerne") == "helhedsplan"
    assert danish_stem("helhedsplaner") == "helhedsplan"
    assert danish_stem("boligsociale") == "boligsocial"


def test_inflected_word_finds_case_item_and_plan(corpus, politician):
    results = search(query="helhedsplanerne", user=politician)
    assert titles(results, "cases") == [
        "2009-68440 Styring af de politiske processer i forbindelse med boligsociale helhedsplaner"
    ]
    assert any("Styring af de politiske processer" in t for t in titles(results, "items"))
    assert titles(results, "plans") == ["Helhedsplan Tingbjerg-Utterslevhuse"]


def test_decisions_and_attachment_titles_are_searched(corpus, politician):
    assert titles(search(query="drøftede", user=politician), "decisions") == [
        "18. Styring af de politiske processer i forbindelse med boligsociale helhedsplaner"
    ]
    assert titles(search(query="procesmuligheder", user=politician), "attachments") == [
        "Nye procesmuligheder for områdebaserede indsatser"
    ]


def test_closed_content_never_in_results_for_non_members(corpus, politician, caseworker):
    for user in (politician, caseworker):
        for word in ("ejendomskøb", "købesummen", "valuarvurdering"):
            assert search(query=word, user=user).total == 0, (user, word)


def test_closed_content_found_by_committee_members(corpus, politician):
    factories.member(politician, corpus["tmu"])
    results = search(query="ejendomskøb", user=politician)
    assert titles(results, "items") == [
        f"{corpus['closed'].number}. Hemmeligt ejendomskøb i Tingbjerg"
    ]
    assert titles(search(query="valuarvurdering", user=politician), "attachments") == [
        "Fortrolig valuarvurdering"
    ]


def test_filters_by_committee_and_year(corpus, politician):
    assert (
        search(query="helhedsplaner", user=politician, committee_id=corpus["tmu"].pk).groups[
            "items"
        ]
        == []
    )
    assert search(query="helhedsplaner", user=politician, year=2010).groups["items"] == []
    assert len(search(query="helhedsplaner", user=politician, year=2009).groups["items"]) == 1


def test_search_page_groups_and_highlights(client, corpus, politician):
    client.force_login(politician)
    response = client.get(reverse("search"), {"q": "helhedsplanerne"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Sager (1)" in content
    assert "Helhedsplaner (1)" in content
    assert "<mark>" in content.lower()


def test_search_page_escapes_user_text(client, politician):
    factories.case("2011-00001", title="Om <script>alert(1)</script> helhedsplaner")
    client.force_login(politician)
    content = client.get(reverse("search"), {"q": "helhedsplaner"}).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content


def test_search_page_bad_year_gets_danish_message(client, politician):
    client.force_login(politician)
    content = client.get(reverse("search"), {"q": "plan", "aar": "1800"}).content.decode()
    assert "Angiv et år fra 1990 til 2100." in content


def test_search_query_count_is_fixed(client, corpus, politician, django_assert_max_num_queries):
    client.force_login(politician)
    with django_assert_max_num_queries(14) as small:
        client.get(reverse("search"), {"q": "helhedsplaner"})
    for number in range(6):
        case = factories.case(title=f"Flere helhedsplaner {number}")
        item = factories.item(
            factories.meeting(corpus["biu"], day=factories.date(2009, 6, 1 + number)),
            case_obj=case,
            title=f"Helhedsplaner punkt {number}",
        )
        factories.decision(item, text="Helhedsplaner godkendt.")
        factories.attachment(item, title="Helhedsplaner bilag")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("search"), {"q": "helhedsplaner"})


def test_postgres_danish_stemming_and_index(corpus, politician, on_postgres):
    results = search(query="helhedsplanerne boligsocial", user=politician)
    assert len(results.groups["cases"]) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%search%"])
        names = {row[0] for row in cursor.fetchall()}
    # Since issue 9 the GIN indexes are on stored vectors (migration 0005_perf_search_vectors).
    assert {
        "case_search_vector",
        "agenda_item_search_vector",
        "decision_search_vector",
        "attachment_search_vector",
        "plan_search_vector",
    } <= names


@pytest.mark.parametrize(
    "data",
    [None, {"q": "plan"}, {"q": "plan", "udvalg": "first"}, {"q": "plan", "udvalg": "x"}],
)
def test_committee_filter_writes_the_html_of_djangos_select(data):
    """The filter's <select> is written in Python (no template per committee): it must be
    byte for byte what Django's own Select widget writes, errors and choice included."""
    from django import forms

    from helhedsplaner.search.views import SearchForm

    for name in ("Økonomiudvalget", "Børne- & Ungeudvalget", "Alpha <udvalg>"):
        factories.committee(name=name)
    if data and data.get("udvalg") == "first":
        data = {**data, "udvalg": str(Committee.objects.order_by("name")[1].pk)}
    django_field = forms.ModelChoiceField(
        queryset=Committee.objects.order_by("name"),
        required=False,
        empty_label=SearchForm.base_fields["udvalg"].empty_label,
    )

    class DjangoForm(forms.Form):
        q = SearchForm.base_fields["q"]
        udvalg = django_field
        aar = SearchForm.base_fields["aar"]

    ours, theirs = SearchForm(data), DjangoForm(data)
    ours.is_valid(), theirs.is_valid()
    assert str(ours["udvalg"]) == str(theirs["udvalg"])
