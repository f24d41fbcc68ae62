from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.accounts.models import MembershipRole, OrganisationKind
from samverkan.accounts.services import invitation_create, invitation_url, organisation_create


class Command(BaseCommand):
    help = (
        "Create an organisation (customer, supplier or adviser) and invite its first "
        "administrator by e-mail; prints the invitation link."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an organisation.")
        create.add_argument("name")
        create.add_argument("--kind", choices=OrganisationKind.values, required=True)
        create.add_argument("--admin", metavar="EMAIL", help="Invite this person as administrator.")
        create.add_argument("--org-number", default="", help="Swedish organisation number.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation = organisation_create(
                name=options["name"], kind=options["kind"], org_number=options["org_number"]
            )
            self.stdout.write(
                f"Created {organisation.name} ({organisation.kind}), id {organisation.pk}."
            )
            if options["admin"]:
                invitation = invitation_create(
                    organisation=organisation,
                    email=options["admin"],
                    role=MembershipRole.ADMIN,
                    invited_by=None,
                )
                self.stdout.write(
                    f"Invitation for {invitation.email}: {invitation_url(invitation)}"
                )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
