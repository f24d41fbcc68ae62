from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.agreements.agreement_file import (
    AgreementFileError,
    agreement_import,
    agreement_snapshot,
)
from samverkan.agreements.commands import command_actor
from samverkan.core.audit import audit_action


class Command(BaseCommand):
    help = (
        "Import an agreement with its relationship type and whole collaboration model from a "
        "YAML file (as written by `samverkan export`). Organisations missing are created. A "
        "bad file changes nothing and every problem is listed with its place in the file. An "
        "agreement with the same customer and reference is replaced only with --replace. Acts "
        "as the person given with --as, who must belong to the customer or the supplier."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The YAML file to read; - reads standard input.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the existing agreement with this reference and its whole model "
            "(the audit trail keeps the old values). Needs the right to edit it.",
        )
        parser.add_argument(
            "--as",
            dest="actor",
            required=True,
            metavar="EMAIL",
            help="The e-mail address of the person importing; they become the owner of a "
            "new agreement on their organisation's side.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = command_actor(options["actor"])
        name = options["file"]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot read {name}: {exc.strerror}.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{name} is not UTF-8 text.") from exc
        with audit_action(actor=user):  # one entry in the agreement's history
            try:
                agreement = agreement_import(text, actor=user, replace=options["replace"])
            except AgreementFileError as exc:
                raise CommandError(
                    f"{name}: nothing was imported. Problems:\n" + "\n".join(exc.problems)
                ) from exc
            except PermissionDenied as exc:
                raise CommandError(str(exc) or "Permission denied.") from exc
        proposed = ""
        if agreement.is_proposal:
            asked = agreement.organisation_of(agreement.proposed_to).name
            proposed = f" as a proposal to {asked} (its administrators are asked to accept it)"
        # What each section brought, counted from the file's content (the base names no
        # capability's parts): "roles 4, forums 3, …".
        counts = ", ".join(
            f"{key} {len(value)}"
            for key, value in agreement_snapshot(agreement).items()
            if isinstance(value, list)
        )
        self.stdout.write(f"Imported {agreement.reference}{proposed} ({counts}).")
