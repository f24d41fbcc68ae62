from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.accounts.models import ApiToken, User
from samverkan.accounts.services import token_create, token_revoke


class Command(BaseCommand):
    help = "Manage personal API tokens: create one for a user (printed once), list or revoke them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for EMAIL and print it.")
        create.add_argument("email")
        create.add_argument("--name", default="Command line", help="What the token is for.")
        listing = sub.add_parser(
            "list", help="List the tokens of EMAIL (never the tokens themselves)."
        )
        listing.add_argument("email")
        revoke = sub.add_parser("revoke", help="Revoke the token with this id.")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "revoke":
            token = ApiToken.objects.filter(pk=options["id"]).first()
            if token is None:
                raise CommandError(f"No token with id {options['id']}.")
            token_revoke(token=token)
            self.stdout.write(f"Revoked token {token.pk} ({token.name}).")
            return
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No user with e-mail {options['email']}.")
        if action == "create":
            _token, raw = token_create(user=user, name=options["name"])
            self.stdout.write(raw)
        else:
            for token in user.api_tokens.all():
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(f"{token.pk}\t{token.prefix}…\t{state}\t{token.name}")
