from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.accounts.models import MembershipRole, Organisation, OrganisationKind
from samverkan.accounts.services import invitation_create, invitation_url, organisation_create


class Command(BaseCommand):
    help = (
        "Create an organisation (customer, supplier or adviser) and invite its first "
        "administrator by e-mail, or invite someone into an existing organisation (its "
        "first administrator, when it has none); prints the invitation link."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an organisation.")
        create.add_argument("name")
        create.add_argument("--kind", choices=OrganisationKind.values, required=True)
        create.add_argument("--admin", metavar="EMAIL", help="Invite this person as administrator.")
        create.add_argument("--org-number", default="", help="Swedish organisation number.")
        invite = sub.add_parser(
            "invite",
            help="Invite a person into an existing organisation (by default as administrator). "
            "Nobody else can give an organisation without administrators its first one.",
        )
        invite.add_argument("organisation", help="Its name (any letter case) or id.")
        invite.add_argument("email")
        invite.add_argument("--role", choices=MembershipRole.values, default=MembershipRole.ADMIN)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "invite":
            self._invite(options["organisation"], options["email"], options["role"])
            return
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

    def _invite(self, name: str, email: str, role: str) -> None:
        organisation = (
            Organisation.objects.filter(pk=int(name)).first()
            if name.isdigit() and len(name) < 19
            else Organisation.objects.filter(name__iexact=name.strip()).first()
        )
        if organisation is None:
            raise CommandError(f"No organisation {name}.")
        try:
            invitation = invitation_create(
                organisation=organisation, email=email, role=role, invited_by=None
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"Invitation to {organisation.name} for {invitation.email}: {invitation_url(invitation)}"
        )
