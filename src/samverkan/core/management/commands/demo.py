from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.core import demo


class Command(BaseCommand):
    help = (
        "Migrate the database, load the demo data (a Swedish insurer and three IT suppliers; "
        "running it again updates the same rows) and serve the app on http://127.0.0.1:8000. "
        "Refuses to run with DEBUG off unless given --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Load the data, do not serve.")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")
        parser.add_argument(
            "--port", type=int, default=8000, help="Port to serve on (default 8000)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off, so this looks like a production database. The demo adds people "
                "with a published password; use --force if you really mean it."
            )
        call_command("migrate", interactive=False, verbosity=0)
        demo.load()
        url = f"http://127.0.0.1:{options['port']}/"
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"\n  Samverkan: {url}\n")
        for email, who in demo.DEMO_LOGINS:
            self.stdout.write(f"  {email} / {demo.DEMO_PASSWORD}  ({who})")
        self.stdout.write("")
        if not options["no_serve"]:
            call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
