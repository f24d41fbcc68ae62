from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from samverkan.accounts.models import User
from samverkan.agreements.access import agreement_by_reference_for
from samverkan.agreements.agreement_file import agreement_export


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
        user = User.objects.filter(email__iexact=options["actor"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with e-mail {options['actor']}.")
        try:
            access = agreement_by_reference_for(user, options["reference"])
        except Http404 as exc:
            raise CommandError(
                f"No agreement {options['reference']} that {user.email} may see."
            ) from exc
        text = agreement_export(access.agreement)
        if options["output"] == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(options["output"]).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {options['output']}: {exc.strerror}.") from exc
        self.stdout.write(f"Exported {access.agreement.reference} to {options['output']}.")
