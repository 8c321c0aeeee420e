"""The load-data generator behind the benchmark: shapes, proportions and history rows."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from cases.models import AgendaItem, Attachment, Case, CaseNumberSequence, Decision
from cases.services import case_number_next
from committees.models import Committee, Meeting, Membership
from demo import loadgen
from helhedsplaner.models import CoFinancing, CoFinancingPool, Estate, Plan
from tests import factories


def generate(*args) -> str:
    out = io.StringIO()
    call_command("generate_load_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def generated(db):
    return generate("--scale", "0.001")


def test_scale_gives_proportional_counts_with_minimums():
    assert loadgen.counts_for(1)["items"] == 200_000
    assert loadgen.counts_for(1)["commitments"] == 200_000
    assert loadgen.counts_for(0.1)["plans"] == 500
    assert loadgen.counts_for(0.1)["meetings"] == 2_000
    assert loadgen.counts_for(0.0001)["committees"] == loadgen.MINIMUM["committees"]


def test_small_run_writes_the_shapes_of_the_large_one(generated):
    counts = loadgen.counts_for(0.001)
    assert Committee.objects.count() == counts["committees"]
    assert Meeting.objects.count() == counts["meetings"]
    assert AgendaItem.objects.count() == counts["items"]
    assert Plan.objects.count() == counts["plans"]
    assert CoFinancing.objects.count() == counts["commitments"]
    # Ten items per meeting on average, every item on a meeting with a number and a case.
    assert not AgendaItem.objects.filter(meeting__isnull=True).exists()
    per_meeting = Meeting.objects.annotate(n=Count("agenda_items")).values_list("n", flat=True)
    assert max(per_meeting) == 14 and min(per_meeting) >= 1
    # Some cases visit more than one meeting; one item in twenty is closed.
    assert Case.objects.count() < AgendaItem.objects.count()
    assert Case.objects.annotate(n=Count("agenda_items")).filter(n__gte=2).exists()
    assert AgendaItem.objects.filter(is_closed=True).count() == counts["items"] // 20
    # Attachments (rows, no files), decisions on the meetings that were held.
    assert Attachment.objects.count() == pytest.approx(1.25 * counts["items"], rel=0.05)
    assert not Attachment.objects.exclude(file="").exists()
    held = AgendaItem.objects.exclude(meeting__status__in=["draft", "published"]).count()
    assert Decision.objects.count() == held > 0
    # Committees have members and a secretary; plans have estates and linked items.
    assert Membership.objects.filter(role="secretary").count() == counts["committees"]
    assert Estate.objects.count() == pytest.approx(2.4 * counts["plans"], abs=2)
    assert all(
        n == loadgen.ITEMS_PER_PLAN
        for n in Plan.objects.annotate(n=Count("agenda_items")).values_list("n", flat=True)
    )
    # Twenty years of meetings.
    first, last = (
        Meeting.objects.order_by("starts_at").first().starts_at,
        Meeting.objects.order_by("starts_at").last().starts_at,
    )
    assert (last - first).days > 365 * 17  # ten meetings per committee at this scale


def test_every_generated_row_has_its_history_row(generated):
    for model in (Committee, Meeting, Case, AgendaItem, Attachment, Decision, Plan, Estate):
        assert model.history.filter(history_type="+").count() == model.objects.count(), model
    assert CoFinancing.history.count() == CoFinancing.objects.count()
    history = loadgen.history_row_count()
    assert history >= 6 * loadgen.counts_for(0.001)["items"]
    assert "history rows" in generated


def test_pools_are_never_over_committed(generated):
    for pool in CoFinancingPool.objects.all():
        granted = sum(c.amount for c in pool.commitments.filter(status__in=["granted", "paid"]))
        assert pool.budget >= granted


def test_refuses_a_database_with_data_unless_appending(db):
    factories.plan()
    with pytest.raises(CommandError, match="--append"):
        generate("--scale", "0.001")
    assert not Meeting.objects.exists()
    generate("--scale", "0.001", "--append")
    assert Meeting.objects.count() == loadgen.counts_for(0.001)["meetings"]


def test_a_second_run_appends_under_new_names(generated):
    generate("--scale", "0.001", "--append")
    assert Committee.objects.filter(slug__startswith="lg2-").count() == 2
    assert AgendaItem.objects.count() == 2 * loadgen.counts_for(0.001)["items"]


def test_case_numbers_drawn_afterwards_do_not_collide(generated):
    year = max(CaseNumberSequence.objects.values_list("year", flat=True))
    number = case_number_next(year=year)
    assert not Case.objects.filter(number=number).exists()


def test_progress_is_reported_per_step(generated):
    assert "[1/8]" in generated and "[8/8]" in generated
    assert "100 %" in generated
