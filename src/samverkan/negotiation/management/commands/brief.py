from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from samverkan.agreements.commands import add_actor_argument, command_actor
from samverkan.documents.bounded import render_bounded
from samverkan.negotiation.access import case_for
from samverkan.negotiation.brief import LANGUAGES, brief_language, case_brief


class Command(BaseCommand):
    help = (
        "Write the brief of a negotiation case (förhandlingsunderlag) as Word or PDF, in "
        "Swedish or English, marked confidential with the owning organisation's name. Acts "
        "as --as EMAIL, who must be on the case; for anyone else the case does not exist."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("case", type=int, help="The case's id, as in its address.")
        parser.add_argument("--format", choices=["docx", "pdf"], default="pdf")
        parser.add_argument(
            "--language", choices=LANGUAGES, default=None, help="Default: the person's own."
        )
        parser.add_argument(
            "-o", "--output", default="-", help="File to write; - writes standard output."
        )
        add_actor_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = command_actor(options["actor"])
        try:
            access = case_for(user, options["case"])
        except Http404 as exc:
            raise CommandError(
                f"No negotiation case {options['case']} that {user.email} may see."
            ) from exc
        language = brief_language(options["language"], user)
        document = case_brief(access, user=user, language=language)
        data = render_bounded(
            document, options["format"], seconds=settings.DOCUMENT_TIMEOUT_SECONDS
        )
        if options["output"] == "-":
            sys.stdout.buffer.write(data)
        else:
            Path(options["output"]).write_bytes(data)
            self.stderr.write(f"Wrote {options['output']} ({len(data):,} bytes).")
