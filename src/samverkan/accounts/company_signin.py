"""Company sign-in: an organisation's own OpenID Connect provider, its domains, its people.

The protocol itself (authorisation request, code exchange, PKCE, nonce, signature
check against the provider's keys) is mozilla-django-oidc's, wired up in
``samverkan.accounts.oidc``. This module holds the rules that are ours:

- an organisation administrator registers the provider (issuer, client id, sealed
  client secret) and the e-mail domains it owns; a domain belongs to one
  organisation only;
- a person coming back from the provider is matched by a *verified* e-mail address
  of one of that organisation's domains to an existing member, or created as a
  member of that organisation when it allows it; an account of another
  organisation is never taken over.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.accounts.models import (
    IdentityProvider,
    MembershipRole,
    Organisation,
    SignInDomain,
    User,
)
from samverkan.accounts.services import membership_set, user_create
from samverkan.lib.sealing import SealBrokenError, seal, unseal

logger = logging.getLogger(__name__)

_SEAL_PURPOSE = "samverkan.accounts.identity-provider.client-secret"
_DOMAIN = re.compile(
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$"
)
_LOOPBACK_NAMES = {"localhost"}


class SignInRefusedError(Exception):
    """Company sign-in refused; the message is meant for the person signing in."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Reads ------------------------------------------------------------------------------------


def email_domain(email: str) -> str:
    """The address's domain as stored: lower case, internationalised names in IDNA form."""
    domain = email.strip().lower().rpartition("@")[2]
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def identity_provider_for_email(email: str) -> IdentityProvider | None:
    """The provider of the organisation that registered the address's domain, if any."""
    domain = email_domain(email)
    if not domain:
        return None
    found = (
        SignInDomain.objects.select_related("provider__organisation").filter(domain=domain).first()
    )
    return found.provider if found else None


def identity_provider_of(organisation: Organisation) -> IdentityProvider | None:
    return (
        IdentityProvider.objects.filter(organisation=organisation)
        .prefetch_related("domains")
        .first()
    )


def client_secret(provider: IdentityProvider) -> str:
    """The provider's client secret in clear, for the code exchange only.

    Raises ``SignInRefusedError`` when it cannot be opened (``SECRET_KEY`` changed).
    """
    try:
        return unseal(
            provider.client_secret_sealed, secret=settings.SECRET_KEY, purpose=_SEAL_PURPOSE
        )
    except SealBrokenError as exc:
        raise SignInRefusedError(
            _(
                "The sign-in of %(organisation)s cannot be used: its client secret must be "
                "entered again by an administrator."
            )
            % {"organisation": provider.organisation}
        ) from exc


def _discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def provider_configuration(provider: IdentityProvider) -> dict[str, Any]:
    """The provider's discovery document, fetched from the issuer (cached a few minutes).

    Raises ``SignInRefusedError`` when it cannot be fetched or does not describe
    this issuer (OpenID Connect Discovery requires the ``issuer`` to match exactly).
    """
    key = f"oidc-discovery:{provider.issuer}"
    cached = cache.get(key)
    if isinstance(cached, dict):
        return cached
    unreachable = _(
        "Samverkan could not reach the sign-in service of %(organisation)s. Try again in a "
        "moment; if it goes on, tell its administrator."
    ) % {"organisation": provider.organisation}
    try:
        response = requests.get(
            _discovery_url(provider.issuer), timeout=settings.OIDC_TIMEOUT, allow_redirects=False
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OpenID Connect discovery failed for %s: %s", provider.issuer, type(exc))
        raise SignInRefusedError(unreachable) from exc
    required = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    if not isinstance(document, dict) or any(not document.get(name) for name in required):
        raise SignInRefusedError(unreachable)
    if str(document["issuer"]).rstrip("/") != provider.issuer.rstrip("/"):
        logger.warning("OpenID Connect discovery of %s names another issuer", provider.issuer)
        raise SignInRefusedError(unreachable)
    cache.set(key, document, timeout=300)
    return document


# Writes -----------------------------------------------------------------------------------


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def issuer_cleaned(issuer: str) -> str:
    """The issuer without a trailing slash; ``ValidationError`` unless https (or loopback)."""
    issuer = issuer.strip().rstrip("/")
    parts = urlsplit(issuer)
    if parts.scheme != "https" and not (
        parts.scheme == "http" and _is_loopback(parts.hostname or "")
    ):
        raise ValidationError(_("The issuer must be an https:// address."), code="issuer_scheme")
    if parts.query or parts.fragment:
        raise ValidationError(_("The issuer has no query or fragment (nothing after ? or #)."))
    return issuer


def parse_domains(text: str | Iterable[str]) -> list[str]:
    """E-mail domains from free text (one a line, or separated by commas or spaces).

    Lower-cased, without a leading ``@``, each once. Raises ``ValidationError``
    naming any that is not a domain name.
    """
    words = re.split(r"[\s,;]+", text) if isinstance(text, str) else list(text)
    domains: list[str] = []
    for word in words:
        domain = word.strip().lower().lstrip("@").rstrip(".")
        if not domain:
            continue
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            domain = "-"
        if not _DOMAIN.match(domain):
            raise ValidationError(
                _("“%(domain)s” is not an e-mail domain.") % {"domain": word.strip()}
            )
        if domain not in domains:
            domains.append(domain)
    return domains


@transaction.atomic
def identity_provider_set(
    *,
    organisation: Organisation,
    issuer: str,
    client_id: str,
    client_secret: str,
    domains: list[str],
    create_members: bool,
) -> IdentityProvider:
    """Register or change the organisation's provider and the domains that sign in there.

    An empty ``client_secret`` keeps the stored one (it is required the first time).
    A domain registered by another organisation is refused without naming it.
    """
    provider = IdentityProvider.objects.filter(organisation=organisation).first()
    provider = provider or IdentityProvider(organisation=organisation)
    errors: dict[str, list[str]] = {}
    try:
        provider.issuer = issuer_cleaned(issuer)
    except ValidationError as exc:
        errors["issuer"] = exc.messages
    try:
        domains = parse_domains(domains)
    except ValidationError as exc:
        errors["domains"] = exc.messages
    if errors:
        raise ValidationError(errors)
    provider.client_id = client_id.strip()
    if client_secret:
        provider.client_secret_sealed = seal(
            client_secret, secret=settings.SECRET_KEY, purpose=_SEAL_PURPOSE
        )
        provider.client_secret_changed_at = timezone.now()
    elif not provider.client_secret_sealed:
        raise ValidationError({"client_secret": _("Enter the client secret.")})
    provider.create_members = create_members
    if not domains:
        raise ValidationError(
            {"domains": _("Name at least one e-mail domain whose people sign in here.")}
        )
    taken = (
        SignInDomain.objects.filter(domain__in=domains)
        .exclude(provider__organisation=organisation)
        .values_list("domain", flat=True)
    )
    if taken:
        raise ValidationError(
            {
                "domains": _(
                    "%(domains)s is already registered by another organisation. A domain can "
                    "sign in through one organisation's provider only."
                )
                % {"domains": ", ".join(sorted(taken))}
            }
        )
    provider.full_clean(exclude=["organisation"])
    provider.save()
    provider.domains.exclude(domain__in=domains).delete()
    for domain in domains:
        SignInDomain.objects.get_or_create(provider=provider, domain=domain)
    cache.delete(f"oidc-discovery:{provider.issuer}")
    return provider


def identity_provider_remove(*, provider: IdentityProvider) -> None:
    """Turn company sign-in off: its people sign in with a password again (if they have one)."""
    provider.delete()


def _verified(claims: Mapping[str, Any]) -> bool:
    """Whether the provider vouches for the e-mail address.

    ``email_verified`` (OpenID Connect) true, or, from Microsoft Entra ID, ``xms_edov``
    true: the address's domain is one the tenant has verified.
    """
    for name in ("email_verified", "xms_edov"):
        value = claims.get(name)
        if value is True or (isinstance(value, str) and value.lower() == "true"):
            return True
    return False


@transaction.atomic
def company_member_for_claims(*, provider: IdentityProvider, claims: Mapping[str, Any]) -> User:
    """The person a provider's verified claims name, as a member of the provider's organisation.

    Matched by the verified e-mail address to an existing user who is a member of
    this organisation (or of none, when the organisation creates members); else
    created as a member when the organisation allows it. Raises
    ``SignInRefusedError`` (nothing written) when the address is missing,
    unverified, outside the organisation's domains, or belongs to an account of
    another organisation.
    """
    organisation = provider.organisation
    email = str(claims.get("email") or "").strip().lower()
    names = {"organisation": organisation.name, "email": email}
    if not email:
        raise SignInRefusedError(
            _(
                "The sign-in of %(organisation)s did not send an e-mail address. Its IT "
                "department must release the email claim to Samverkan."
            )
            % names
        )
    if not _verified(claims):
        raise SignInRefusedError(
            _(
                "The sign-in of %(organisation)s did not confirm that %(email)s is verified. "
                "Samverkan only accepts verified addresses; no account was created."
            )
            % names
        )
    if not provider.domains.filter(domain=email_domain(email)).exists():
        raise SignInRefusedError(
            _(
                "%(email)s is not in a domain that %(organisation)s has registered for its "
                "sign-in, so it cannot sign in there. No account was created."
            )
            % names
        )
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        if not user.is_active:
            raise SignInRefusedError(_("The account %(email)s is switched off.") % names)
        member_of = set(user.memberships.values_list("organisation_id", flat=True))
        if organisation.pk in member_of:
            return user
        if member_of:
            raise SignInRefusedError(
                _(
                    "The account %(email)s belongs to another organisation in Samverkan and "
                    "cannot sign in through %(organisation)s's sign-in. Ask an administrator "
                    "of %(organisation)s for help."
                )
                % names
            )
    if not provider.create_members:
        raise SignInRefusedError(
            _(
                "%(email)s is not a member of %(organisation)s in Samverkan yet. Ask one of "
                "its administrators for an invitation."
            )
            % names
        )
    if user is None:
        name = str(claims.get("name") or "").strip()
        if not name:
            name = " ".join(
                str(claims.get(part) or "").strip() for part in ("given_name", "family_name")
            ).strip()
        user = user_create(email=email, password=None, full_name=name[:150])
    membership_set(organisation=organisation, user=user, role=MembershipRole.MEMBER)
    logger.info("Company sign-in created member %s of organisation %s", user.pk, organisation.pk)
    return user
