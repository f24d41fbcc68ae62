"""Writes for people, organisations, invitations and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samverkan.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    MembershipRole,
    Organisation,
    User,
)
from samverkan.accounts.selectors import organisation_with_number
from samverkan.accounts.sign_in_sessions import member_access_end

_INVITATION_SALT = "samverkan.accounts.invitation"
TOKEN_PREFIX = "svk_"  # noqa: S105 - a marker, not a secret


def user_create(
    *, email: str, password: str | None, full_name: str = "", title: str = "", language: str = "sv"
) -> User:
    user = User(email=email.strip().lower(), full_name=full_name, title=title, language=language)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    user.language = language
    user.save(update_fields=["language"])


@transaction.atomic
def organisation_create(
    *, name: str, kind: str, org_number: str = "", admin: User | None = None
) -> Organisation:
    """Create an organisation; ``admin``, when given, becomes its first administrator."""
    organisation = Organisation(name=name.strip(), kind=kind, org_number=org_number.strip())
    if Organisation.objects.filter(name__iexact=organisation.name).exists():
        raise ValidationError({"name": _("An organisation with this name already exists.")})
    organisation.full_clean(validate_constraints=False)
    holder = organisation_with_number(organisation.org_number)
    if holder is not None:
        raise ValidationError(
            {
                "org_number": _("%(organisation)s already has the organisation number %(number)s.")
                % {"organisation": holder.name, "number": organisation.org_number}
            }
        )
    organisation.save()
    if admin is not None:
        membership_set(organisation=organisation, user=admin, role=MembershipRole.ADMIN)
    return organisation


def membership_set(*, organisation: Organisation, user: User, role: str) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    if membership.is_admin:
        admins = Membership.objects.filter(
            organisation=membership.organisation, role=MembershipRole.ADMIN
        )
        if admins.count() <= 1:
            raise ValidationError(_("An organisation must keep at least one administrator."))
    membership.delete()
    # Whatever the person still had open or scripted ends with their place: their sessions
    # and API tokens act with all their access.
    member_access_end(user=membership.user)


def _invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "e": invitation.email}, salt=_INVITATION_SALT)


def invitation_path(invitation: Invitation) -> str:
    """The path of the invitation's link (signed now; it still expires with the invitation)."""
    return reverse("accounts:invitation_accept", kwargs={"token": _invitation_token(invitation)})


def invitation_url(invitation: Invitation) -> str:
    return f"{settings.SAMVERKAN_BASE_URL}{invitation_path(invitation)}"


def invitation_expires_at(invitation: Invitation) -> datetime:
    return invitation.created_at + timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, invited_by: User | None
) -> Invitation:
    """Invite a person by e-mail to join an organisation; the link expires after some days."""
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    invitation = Invitation(
        organisation=organisation, email=email, role=role, invited_by=invited_by
    )
    invitation.full_clean(exclude=["invited_by"])  # None when sent from the command line
    invitation.save()
    language = invited_by.language if invited_by else settings.LANGUAGE_CODE
    context = {
        "invitation": invitation,
        "url": invitation_url(invitation),
        "days": settings.INVITATION_MAX_AGE_DAYS,
    }
    with translation.override(language):
        subject = _("Invitation to %(organisation)s in Samverkan") % {
            "organisation": organisation.name
        }
        body = render_to_string("accounts/email/invitation.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)
    )
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The open invitation behind a link, or ValidationError (expired, used, tampered)."""
    try:
        payload = signing.loads(
            token,
            salt=_INVITATION_SALT,
            max_age=timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
        )
    except signing.SignatureExpired as exc:
        raise ValidationError(_("This invitation has expired. Ask for a new one.")) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This invitation link is not valid.")) from exc
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(pk=payload.get("i"), email=payload.get("e"))
        .first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."))
    # A link signed later ("Mitt arbete" signs one when shown) expires with the invitation.
    if timezone.now() > invitation_expires_at(invitation):
        raise ValidationError(_("This invitation has expired. Ask for a new one."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    return invitation


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User | None, full_name: str = "", password: str = ""
) -> User:
    """Accept an invitation: as the signed-in ``user``, or by creating the invited person's account."""
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("An account with this e-mail address exists. Sign in first."))
        user = user_create(email=invitation.email, password=password, full_name=full_name)
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in as that person to accept it.")
            % {"email": invitation.email}
        )
    membership_set(organisation=invitation.organisation, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token. Returns the row and the raw token, which is never stored."""
    if not name.strip():
        raise ValidationError(
            {"name": _("Give the token a name, for example the script using it.")}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=raw[:8], digest=token_digest(raw)
    )
    return token, raw


def token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def token_authenticate(raw: str) -> User | None:
    """The active user owning an unrevoked token, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
