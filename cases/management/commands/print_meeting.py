"""Write a meeting's PDFs to a folder for batch printing.

python manage.py print_meeting 42 --out /srv/print/biu-2009-05-28 --edition both
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases import pdf
from committees.models import Meeting


class Command(BaseCommand):
    help = "Write the agenda, each item, the minutes and the package of a meeting as PDF files."

    def add_arguments(self, parser):
        parser.add_argument("meeting", type=int, help="the meeting's id")
        parser.add_argument("--out", required=True, help="folder to write into (created)")
        parser.add_argument(
            "--edition",
            choices=["members", "public", "both"],
            default="public",
            help="which edition(s) to write (default: public)",
        )

    def handle(self, *args, **options):
        try:
            meeting = Meeting.objects.select_related("committee").get(pk=options["meeting"])
        except Meeting.DoesNotExist as exc:
            raise CommandError(f"No meeting with id {options['meeting']}") from exc
        editions = (
            [pdf.Edition.MEMBERS, pdf.Edition.PUBLIC]
            if options["edition"] == "both"
            else [pdf.Edition(options["edition"])]
        )
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        items = list(
            meeting.agenda_items.filter(number__isnull=False)
            .select_related(
                "meeting__committee",
                "case",
                "recommending_administration",
                "decided_by",
                "decision",
            )
            .order_by("number")
        )
        has_minutes = meeting.status in (Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED)
        jobs = []
        for edition in editions:
            folder = out / edition.value
            folder.mkdir(exist_ok=True)
            jobs.append(
                (
                    folder / f"{pdf.agenda_title(meeting)}.pdf",
                    lambda e=edition: pdf.meeting_agenda_pdf(meeting=meeting, edition=e),
                )
            )
            jobs.append(
                (
                    folder / f"{pdf.package_title(meeting)}.pdf",
                    lambda e=edition: pdf.meeting_package_pdf(meeting=meeting, edition=e),
                )
            )
            if has_minutes:
                jobs.append(
                    (
                        folder / f"{pdf.minutes_title(meeting)}.pdf",
                        lambda e=edition: pdf.meeting_minutes_pdf(meeting=meeting, edition=e),
                    )
                )
            for item in items:
                jobs.append(
                    (
                        folder / f"{pdf.item_title(item)}.pdf",
                        lambda e=edition, i=item: pdf.agenda_item_pdf(item=i, edition=e),
                    )
                )
        for number, (path, render) in enumerate(jobs, start=1):
            path.write_bytes(render())
            self.stdout.write(f"[{number}/{len(jobs)}] {path}")
        self.stdout.write(self.style.SUCCESS(f"{len(jobs)} PDF files written to {out}"))
