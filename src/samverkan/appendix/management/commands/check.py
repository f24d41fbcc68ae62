"""``samverkan check``: Django's system checks, or with ``--as`` an agreement's appendix.

``samverkan check REF --as EMAIL`` runs the completeness check of the agreement's
collaboration appendix, prints one line per rule and exits non-zero when an
error-severity rule fails (with ``--fail-level WARNING``: when any rule fails).
Without ``--as`` it is Django's ``check`` unchanged (``samverkan check --deploy``).
The positional argument stays Django's (app labels): with ``--as`` it is read as the
agreement's reference, so both uses share one command line.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.apps import apps
from django.core.management.base import CommandError, CommandParser
from django.core.management.commands import check

from samverkan.agreements.agreement_file import agreement_snapshot
from samverkan.agreements.commands import command_actor, command_agreement
from samverkan.agreements.models import Agreement
from samverkan.appendix import completeness

# Django's options that only mean something for its system checks.
_SYSTEM_ONLY = {
    "deploy": "--deploy",
    "tags": "--tag",
    "list_tags": "--list-tags",
    "databases": "--database",
}


class Command(check.Command):
    help = (
        "Without --as: Django's system checks (e.g. --deploy). "
        "With REFERENCE --as EMAIL: the completeness check of the agreement's collaboration "
        "appendix, as that person; exits non-zero when an error rule fails "
        "(--fail-level WARNING: when any rule fails)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        for action in parser._actions:  # Django's positional; say it also takes a reference
            if action.dest == "args":
                action.metavar = "REFERENCE|app_label"
                action.help = "With --as: one agreement reference. Without: Django app labels."
        parser.add_argument(
            "--as",
            dest="actor",
            metavar="EMAIL",
            help="Check the agreement whose reference is given, as this person.",
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="The appendix check's output: lines (default) or JSON.",
        )
        parser.add_argument(
            "--lang",
            choices=["sv", "en"],
            help="The language of the appendix check (default: the person's language).",
        )

    def handle(self, *app_labels: Any, **options: Any) -> None:
        if options["actor"] is None:
            for label in app_labels:
                if label not in apps.app_configs:
                    raise CommandError(
                        f"No installed app with label {label!r}. To check an agreement's "
                        f"appendix, add --as EMAIL: samverkan check {label} --as EMAIL"
                    )
            super().handle(*app_labels, **options)
            return
        if len(app_labels) != 1:
            raise CommandError("Give one agreement reference with --as, e.g. DEMO-FRONTIER.")
        if used := [flag for dest, flag in _SYSTEM_ONLY.items() if options[dest]]:
            raise CommandError(f"{', '.join(used)} applies to the system checks, not with --as.")
        self.check_appendix(str(app_labels[0]), options)

    def check_appendix(self, reference: str, options: dict[str, Any]) -> None:
        user = command_actor(options["actor"])
        access = command_agreement(user, reference)
        language = options["lang"] or user.language
        findings = completeness.check(agreement_snapshot(access.agreement), language)
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "reference": access.agreement.reference,
                        "language": language,
                        "complete": not completeness.has_errors(findings),
                        "findings": [asdict(finding) for finding in findings],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            self.write_findings(access.agreement, findings, language)
        strict = options["fail_level"] in ("WARNING", "INFO", "DEBUG")
        failing = [
            finding
            for finding in findings
            if not finding.passed and (strict or finding.severity == "error")
        ]
        if failing:
            kind = "rule" if strict else "error rule"
            raise CommandError(
                f"The appendix of {access.agreement.reference} fails {len(failing)} "
                f"{kind}{'s' if len(failing) != 1 else ''}."
            )

    def write_findings(
        self, agreement: Agreement, findings: list[completeness.Finding], language: str
    ) -> None:
        self.stdout.write(f"{agreement.reference} — {agreement.title}")
        width = max(len(finding.severity_label) for finding in findings)
        for finding in findings:
            if finding.passed:
                mark = self.style.SUCCESS("✓")
            elif finding.severity == "error":
                mark = self.style.ERROR("✗")
            else:
                mark = self.style.WARNING("✗")
            label = (
                "" if finding.passed else finding.severity_label
            )  # "✓ fel" would read as a failure
            line = f"{mark} {label:<{width}}  {finding.title}"
            if finding.details:
                line += " — " + ", ".join(finding.details)
            self.stdout.write(line)
        self.stdout.write(completeness.summary(findings, language))
