from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.agreements.agreement_file import agreement_file_schema_json


class Command(BaseCommand):
    help = (
        "Print the JSON Schema of the agreement file (the YAML that `samverkan export` writes "
        "and `samverkan import` reads). An editor with a YAML language server uses it to check "
        "and complete an agreement file as it is typed; the same schema is served at "
        "/api/v1/agreement-file.schema.json."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            default="-",
            metavar="FILE",
            help="The file to write; - (the default) writes to standard output.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = agreement_file_schema_json()
        if options["output"] == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(options["output"]).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {options['output']}: {exc.strerror}.") from exc
        self.stdout.write(f"Wrote the agreement file's JSON Schema to {options['output']}.")
