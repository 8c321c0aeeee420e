from django.core.management.base import BaseCommand

from demo.data import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo data: Copenhagen's committees, 33 plans and the seed case (idempotent)."

    def handle(self, *args, **options):
        load_demo(progress=lambda message: self.stdout.write(message))
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            f"Demo logins (password: {DEMO_PASSWORD}): sagsbehandler, sekretaer, politiker, "
            "admin, sagsbehandler-tmf, sekretaer-kfu"
        )
