from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.agreements.agreement_file import agreement_export
from samverkan.agreements.commands import command_actor, command_agreement


class Command(BaseCommand):
    help = (
        "Export an agreement with its relationship type and whole collaboration model "
        "(roles, forums, processes, escalation) as a YAML file that `samverkan import` reads "
        "back. Acts as the person given with --as, who must be allowed to see the agreement."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="The agreement's reference, e.g. DEMO-FRONTIER.")
        parser.add_argument(
            "-o",
            "--output",
            default="-",
            metavar="FILE",
            help="The file to write; - (the default) writes to standard output.",
        )
        parser.add_argument(
            "--as",
            dest="actor",
            required=True,
            metavar="EMAIL",
            help="The e-mail address of the person exporting; their access rules apply.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = command_actor(options["actor"])
        access = command_agreement(user, options["reference"])
        text = agreement_export(access.agreement)
        if options["output"] == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(options["output"]).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {options['output']}: {exc.strerror}.") from exc
        self.stdout.write(f"Exported {access.agreement.reference} to {options['output']}.")
