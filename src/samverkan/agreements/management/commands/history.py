from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import formats, timezone, translation

from samverkan.accounts.models import User
from samverkan.agreements import history
from samverkan.agreements.commands import add_actor_argument, command_actor, command_agreement


class Command(BaseCommand):
    help = (
        "The history of an agreement: who changed what, one entry per action, newest first. "
        "Writes text, or with -o FILE.xlsx (or --format xlsx) the same Excel workbook as the "
        "history page's export. Filters as on the page: --person EMAIL (or 'system'), --kind "
        "app.model (e.g. collaboration.role), --since and --until YYYY-MM-DD. Acts as --as "
        "EMAIL, who must be able to see the agreement."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="The agreement's reference, e.g. DEMO-FRONTIER.")
        parser.add_argument("--person", default="", help="Only this person's actions (e-mail).")
        parser.add_argument("--kind", default="", help="Only actions on this kind of object.")
        parser.add_argument("--since", default="", metavar="YYYY-MM-DD")
        parser.add_argument("--until", default="", metavar="YYYY-MM-DD")
        parser.add_argument("--format", choices=["text", "xlsx"], help="Default: from -o.")
        parser.add_argument("--lang", choices=["sv", "en"], default="sv")
        parser.add_argument(
            "-o", "--output", default="-", help="File to write; - writes standard output."
        )
        add_actor_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = command_actor(options["actor"])
        access = command_agreement(user, options["reference"])
        person = options["person"]
        if person and person != "system":
            found = User.objects.filter(email__iexact=person).first()
            person = str(found.pk) if found else person
        output = options["output"]
        fmt = options["format"] or ("xlsx" if output.endswith(".xlsx") else "text")
        with translation.override(options["lang"]):
            form = history.history_filter_form(
                {
                    "person": person,
                    "kind": options["kind"],
                    "since": options["since"],
                    "until": options["until"],
                },
                access=access,
            )
            if not form.is_valid():
                problems = [
                    f"--{name}: {' '.join(str(error) for error in errors)}"
                    for name, errors in form.errors.items()
                ]
                raise CommandError("\n".join(problems))
            if fmt == "xlsx":
                content = history.history_workbook(access=access, form=form, exported_by=user)
            else:
                content = _text(history.history_all(access=access, filters=form.filters()))
        if output != "-":
            Path(output).write_bytes(content)
            self.stderr.write(f"Wrote {output} ({len(content):,} bytes).")
        elif fmt == "xlsx":
            sys.stdout.buffer.write(content)
        else:
            self.stdout.write(content.decode(), ending="")


def _text(entries: Iterable[history.HistoryEntry]) -> bytes:
    """One line per entry (local time, then the sentence), its details indented below."""
    lines = []
    for entry in entries:
        when = formats.date_format(timezone.localtime(entry.when), "SHORT_DATETIME_FORMAT")
        lines.append(f"{when}  {entry.summary}")
        lines += [f"    {detail}" for detail in entry.details]
    return "".join(f"{line}\n" for line in lines).encode()
