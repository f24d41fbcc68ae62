from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils import translation

from samverkan.agreements.commands import add_actor_argument, command_actor, command_agreement
from samverkan.health import selectors, services
from samverkan.health.access import health_round_for
from samverkan.health.models import Round


class Command(BaseCommand):
    help = (
        "Write the results of a relationship-health round as Excel or as the one-page PDF "
        "summary for the steering group: round --number N, by default the newest round with "
        "results. Acts as --as EMAIL, who must be able to see the agreement. Figures for "
        "fewer respondents than the round's threshold are never written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="The agreement's reference, e.g. DEMO-UTILITY.")
        parser.add_argument("--format", choices=["xlsx", "pdf"], default="pdf")
        parser.add_argument("--lang", choices=["sv", "en"], default="sv")
        parser.add_argument("--number", type=int, metavar="N", help="The round's number.")
        parser.add_argument(
            "-o", "--output", default="-", help="File to write; - writes standard output."
        )
        add_actor_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = command_actor(options["actor"])
        access = command_agreement(user, options["reference"])
        try:
            if options["number"] is not None:
                round = health_round_for(access, options["number"])
            else:
                newest = [
                    services.close_if_due(r)
                    for r in Round.objects.filter(agreement=access.agreement).order_by("-number")
                ]
                round = next(r for r in newest if r.results_visible)
        except Http404 as exc:
            raise CommandError(f"{options['reference']} has no round {options['number']}.") from exc
        except StopIteration as exc:
            raise CommandError(f"{options['reference']} has no round with results yet.") from exc
        round = services.close_if_due(round)
        with translation.override(options["lang"]):
            try:
                data, _name = selectors.export_file(
                    round, options["format"], language=options["lang"]
                )
            except LookupError as exc:
                raise CommandError(
                    f"Round {round.number} is open until {round.closes_on}; "
                    "its results are shown when it closes."
                ) from exc
        if options["output"] == "-":
            sys.stdout.buffer.write(data)
        else:
            Path(options["output"]).write_bytes(data)
            self.stderr.write(f"Wrote {options['output']} ({len(data):,} bytes).")
