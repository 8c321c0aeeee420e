"""Benchmark: agenda PDF rendering (not a test; prints figures).

Renders a 40-item and a 20-item agenda through the product's service, and the
same 40-item HTML through bare WeasyPrint with a minimal stylesheet, and prints
the median times and the ratios (targets: 40/20 ≤ 2.2, product/bare ≤ 1.3).

    .venv/bin/python bench/pdf_bench.py [--repeat 5] [--json out.json]

Runs on a throwaway in-memory SQLite database; nothing is written elsewhere.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import translation  # noqa: E402

MINIMAL_CSS = "body { font-family: sans-serif; font-size: 10pt; } .item { break-before: page; }"
LOREM = (
    "Forvaltningen har udarbejdet et notat om problemstillingen, som er vedlagt som bilag. "
    "Heri fremgår det, at styringen af området kan styrkes gennem en fælles politik, en "
    "fælles medfinansieringspraksis og pulje og en politisk følgegruppe. "
) * 4


def build_meeting(items: int, day: int):
    from tests import factories

    committee = factories.committee(
        name=f"Bench-udvalget {day}", short_name=f"B{day}", slug=f"bench-{day}"
    )
    meeting = factories.meeting(committee, day=date(2009, 5, day))
    for number in range(1, items + 1):
        item = factories.item(
            meeting,
            number=number,
            title=f"Punkt nummer {number} om sagen",
            summary=LOREM[:200],
            problem=LOREM,
            solution=LOREM * 2,
            economy=LOREM[:150],
            further_process=LOREM,
            points=("at udvalget godkender indstillingen.", "at sagen sendes videre."),
        )
        factories.attachment(item, title=f"Bilag til punkt {number}", case_number="2009-300035")
    return meeting


def median_times(functions: dict, repeat: int) -> dict[str, float]:
    """Median seconds of each function, run in turn in every round.

    Interleaved, not one after the other: on a shared machine a busy spell then
    slows all three alike instead of skewing the ratios between them.
    """
    times = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    translation.activate("da")

    from weasyprint import CSS, HTML

    from cases import pdf

    print("building 20- and 40-item agendas …", flush=True)
    meeting_20 = build_meeting(20, 20)
    meeting_40 = build_meeting(40, 21)
    html_40 = pdf.meeting_agenda_html(meeting=meeting_40, edition=pdf.Edition.MEMBERS)
    pdf.meeting_agenda_pdf(meeting=meeting_20, edition=pdf.Edition.MEMBERS)  # warm-up
    bare_css = CSS(string=MINIMAL_CSS)

    print(f"rendering, median of {args.repeat} rounds (20, 40 and bare in turn) …", flush=True)
    medians = median_times(
        {
            "20": lambda: pdf.meeting_agenda_pdf(meeting=meeting_20, edition=pdf.Edition.MEMBERS),
            "40": lambda: pdf.meeting_agenda_pdf(meeting=meeting_40, edition=pdf.Edition.MEMBERS),
            "bare": lambda: HTML(string=html_40).write_pdf(stylesheets=[bare_css]),
        },
        args.repeat,
    )
    t20, t40, bare = medians["20"], medians["40"], medians["bare"]
    pages = len(
        __import__("pypdf")
        .PdfReader(
            __import__("io").BytesIO(
                pdf.meeting_agenda_pdf(meeting=meeting_40, edition=pdf.Edition.MEMBERS)
            )
        )
        .pages
    )

    figures = {
        "agenda_20_items_s": round(t20, 3),
        "agenda_40_items_s": round(t40, 3),
        "agenda_40_pages": pages,
        "bare_weasyprint_40_items_s": round(bare, 3),
        "ratio_40_to_20": round(t40 / t20, 2),
        "ratio_to_bare": round(t40 / bare, 2),
        "targets": {"ratio_40_to_20": 2.2, "ratio_to_bare": 1.3},
    }
    print()
    print(f"{'measure':<38}{'value':>10}")
    print(f"{'20-item agenda (s)':<38}{t20:>10.3f}")
    print(f"{'40-item agenda (s)':<38}{t40:>10.3f}   ({pages} pages)")
    print(f"{'bare WeasyPrint, same 40-item HTML (s)':<38}{bare:>10.3f}")
    print(f"{'ratio 40 / 20 (target ≤ 2.2)':<38}{t40 / t20:>10.2f}")
    print(f"{'ratio product / bare (target ≤ 1.3)':<38}{t40 / bare:>10.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
        print(f"\nwritten to {args.json}")


if __name__ == "__main__":
    main()
