"""Every main page runs the same number of queries on a small and a three times larger
data set (from the load generator), within a fixed bound per page.

The per-app tests check their own pages on hand-made data; this one walks the
whole list of main pages (``demo.loadgen.main_pages``, the list the
benchmark uses) on generated data with every shape at once: 20 years of meetings,
closed items, cases on several meetings, plans with 40 commitments.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo import loadgen

# The most queries each page may run (the benchmark's figures, logged in as a politician).
# Roles, permissions and the reader's committee seats are one query where a page checks a
# permission first; two where it asks the roles first (meeting and item pages).
BOUNDS = {
    "home": 23,
    "plans_by_area": 6,
    "plan_list": 10,
    "plan_detail": 11,
    "plan_status": 13,
    "plan_history": 20,
    "meeting_list": 5,
    "meeting_detail": 14,
    "case_list": 5,
    "case_detail": 11,  # + the route: the case's items on meetings, their blocks and parties
    "case_history": 9,
    "item_detail": 12,  # + the recommendation blocks and who takes part in them
    "search": 9,
    "committee_list": 5,  # + the policy layer asked whether the reader may create committees
    "committee_detail": 9,  # + the former members
    "commitment_list": 9,
    "overview_administrations": 9,
    "overview_plans": 5,
    "overview_years": 6,
    "overview_pools": 6,
    "plan_cofinancing": 7,
    "pool_detail": 8,
    "followup_groups": 4,
    "policy": 7,
}


def generate(*args):
    call_command("generate_load_data", *args, stdout=io.StringIO())


def count_queries(client, run: int) -> dict[str, int]:
    counts = {}
    for key, url in loadgen.main_pages(loadgen.sample_objects(run)).items():
        client.get(url)  # the first request fills per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[key] = len(queries)
    return counts


@pytest.mark.parametrize("role", ["politician", "administrator"])
def test_main_pages_run_as_many_queries_on_three_times_the_data(db, client, role, request):
    client.force_login(request.getfixturevalue(role))
    generate("--scale", "0.001")
    small = count_queries(client, run=1)
    generate("--scale", "0.003", "--append")
    larger = count_queries(client, run=2)

    assert set(small) == set(BOUNDS), "a main page without a bound"
    assert larger == small
    over = {key: count for key, count in larger.items() if count > BOUNDS[key]}
    assert not over, f"pages over their query bound: {over}"
