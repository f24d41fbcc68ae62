from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.agreements.commands import add_actor_argument, command_actor, command_agreement
from samverkan.appendix.models import AppendixVersion
from samverkan.appendix.views import draft_document, version_document
from samverkan.documents.docx import render_docx
from samverkan.documents.html import render_html
from samverkan.documents.pdf import render_pdf


class Command(BaseCommand):
    help = (
        "Write the collaboration appendix (samverkansbilaga) of an agreement as Word, PDF or "
        "HTML, in Swedish or English: a published version (--number N) rebuilt from its "
        "snapshot, or by default the draft from the current model. Acts as --as EMAIL, who "
        "must be able to see the agreement."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="The agreement's reference, e.g. DEMO-FRONTIER.")
        parser.add_argument("--format", choices=["docx", "pdf", "html"], default="pdf")
        parser.add_argument("--lang", choices=["sv", "en"], default="sv")
        parser.add_argument(
            "--number",
            type=int,
            metavar="N",
            help="A published version (its number); default the draft.",
        )
        parser.add_argument(
            "-o", "--output", default="-", help="File to write; - writes standard output."
        )
        add_actor_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = command_actor(options["actor"])
        agreement = command_agreement(user, options["reference"]).agreement
        if options["number"]:
            version = AppendixVersion.objects.filter(
                agreement=agreement, number=options["number"]
            ).first()
            if version is None:
                raise CommandError(f"{agreement.reference} has no version {options['number']}.")
            document = version_document(version, options["lang"])
        else:
            document = draft_document(agreement, options["lang"])
        fmt = options["format"]
        data = (
            render_docx(document)
            if fmt == "docx"
            else render_pdf(document)
            if fmt == "pdf"
            else render_html(document).encode()
        )
        if options["output"] == "-":
            sys.stdout.buffer.write(data)
        else:
            Path(options["output"]).write_bytes(data)
            self.stderr.write(f"Wrote {options['output']} ({len(data):,} bytes).")
