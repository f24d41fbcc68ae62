"""What the commands that act for a person share: ``--as EMAIL`` and the agreement by its
reference, through the access module like every page (``samverkan export``, ``history``,
``appendix``, ``health``, ``check``, ``import``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser
from django.http import Http404

from samverkan.accounts.models import User
from samverkan.agreements.access import AgreementAccess, Need, agreement_by_reference_for


def add_actor_argument(parser: CommandParser, *, required: bool = True) -> None:
    """``--as EMAIL``: the person the command acts for (it sees what they may see)."""
    parser.add_argument(
        "--as", dest="actor", required=required, metavar="EMAIL", help="The person asking."
    )


def command_actor(email: str) -> User:
    """The active person with this e-mail, or a CommandError saying there is none."""
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user with e-mail {email}.")
    return user


def command_agreement(user: User, reference: str, need: Need = Need.VIEW) -> AgreementAccess:
    """The agreement ``user`` may see by its reference, or a CommandError that names no
    other's (and one saying so when they may see it but not do what ``need`` asks)."""
    try:
        return agreement_by_reference_for(user, reference, need)
    except Http404 as exc:
        raise CommandError(f"No agreement {reference} that {user.email} may see.") from exc
    except PermissionDenied as exc:
        raise CommandError(f"{user.email} may not do that with {reference}.") from exc
