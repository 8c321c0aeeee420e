from django.core.management.base import BaseCommand, CommandError

from demo import loadgen


class Command(BaseCommand):
    help = (
        "Fill the database with load data for the benchmark: at --scale 1, 100 committees with "
        "20 years of meetings, 200,000 agenda items, 5,000 plans, 200,000 commitments and over "
        "a million history rows. Refuses a database with data in it unless --append."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1 = the large set; 0.1 = a tenth of it (default 1).",
        )
        parser.add_argument(
            "--append",
            "--force",
            action="store_true",
            dest="append",
            help="Add the load data even though the database already holds cases, meetings "
            "or plans (e.g. the demo data).",
        )

    def handle(self, *args, **options):
        scale = options["scale"]
        if scale <= 0:
            raise CommandError("--scale must be greater than 0.")
        if loadgen.database_has_data() and not options["append"]:
            raise CommandError(
                "The database already holds cases, meetings or plans. Use an empty database, "
                "or add --append to add the load data to what is there."
            )
        report = loadgen.generate(scale=scale, progress=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Load data ready: {sum(report.rows.values()):,} rows, "
                f"{report.history_rows:,} history rows, {report.seconds:.1f} s."
            )
        )
