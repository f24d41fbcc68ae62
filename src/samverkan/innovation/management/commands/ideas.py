from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from samverkan.agreements.commands import add_actor_argument, command_actor, command_agreement
from samverkan.agreements.models import Side
from samverkan.innovation.models import Area, Stage
from samverkan.innovation.register import register_workbook
from samverkan.innovation.selectors import IdeaFilter


class Command(BaseCommand):
    help = (
        "Write the agreement's ideas register as Excel, the same workbook as the export on "
        "the ideas page, optionally narrowed by area, side, stage and text. Acts as --as "
        "EMAIL, who must be able to see the agreement."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="The agreement's reference, e.g. DEMO-FRONTIER.")
        parser.add_argument("--format", choices=["xlsx"], default="xlsx")
        parser.add_argument("--lang", choices=["sv", "en"], default="sv")
        parser.add_argument("--area", choices=Area.values, default="")
        parser.add_argument("--side", choices=Side.values, default="")
        parser.add_argument("--stage", choices=Stage.values, default="")
        parser.add_argument("--text", default="", help="Words in the title, problem or proposal.")
        parser.add_argument(
            "-o", "--output", default="-", help="File to write; - writes standard output."
        )
        add_actor_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = command_actor(options["actor"])
        access = command_agreement(user, options["reference"])
        filters = IdeaFilter(
            area=options["area"],
            side=options["side"],
            stage=options["stage"],
            text=options["text"].strip(),
        )
        with translation.override(options["lang"]):
            data, _name = register_workbook(access, filters)
        if options["output"] == "-":
            sys.stdout.buffer.write(data)
        else:
            Path(options["output"]).write_bytes(data)
            self.stderr.write(f"Wrote {options['output']} ({len(data):,} bytes).")
