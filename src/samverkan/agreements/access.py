"""The one place that decides who may see and change agreement data.

Every view, API endpoint, export and management command asks these helpers.
Outsiders get ``Http404`` (so that an agreement's existence does not leak);
insiders without the needed role get ``PermissionDenied`` (403).

A person sees an agreement through a participant row, or as administrator of
the customer or supplier organisation. Editors and owners edit; owners, and
the administrators of a side's organisation, manage that side's participants.

The agreement's own record — its commercial header (reference, title, period,
value, currency, status; the parties never change) with its description,
services and document language — belongs to the customer: only the customer
side's editors and owners change it (``Need.TERMS``), and only its owners end
the agreement (``Need.END``). The collaboration model and everything else the
two sides build together stays editable by the editors of both (``Need.EDIT``).

An agreement that names an existing organisation its creator does not belong to is
a *proposal* to that organisation until one of its administrators accepts it. Until
then it is the proposing side's alone: its participants and the administrators of
its organisation see it and keep its record; the asked organisation's members see
nothing of it, and its administrators see only the proposal (``proposals_to``,
``proposal_for``), never the agreement. A declined proposal stays with the proposer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import F, Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from samverkan.accounts.models import Membership, MembershipRole, Organisation, User
from samverkan.agreements.models import (
    PENDING_PROPOSAL,
    Agreement,
    Participant,
    ParticipantRole,
    ProposalState,
    Side,
)

PartT = TypeVar("PartT", bound=Model)


class Need(Enum):
    VIEW = "view"
    EDIT = "edit"
    OWN = "own"
    TERMS = "terms"  # change the agreement's own record: the customer's editors and owners
    END = "end"  # end the agreement: the customer's owners


@dataclass(frozen=True)
class AgreementAccess:
    """What one user may do with one agreement."""

    agreement: Agreement
    participant: Participant | None
    admin_sides: frozenset[str]

    @property
    def side(self) -> str | None:
        """The side the user acts for: their participant side, else the side they administer."""
        if self.participant is not None:
            return self.participant.side
        return next(iter(sorted(self.admin_sides)), None)

    @property
    def can_edit(self) -> bool:
        return self.participant is not None and self.participant.can_edit

    @property
    def is_owner(self) -> bool:
        return self.participant is not None and self.participant.role == ParticipantRole.OWNER

    @cached_property
    def customer_is_here(self) -> bool:
        """Whether anyone of the customer organisation has joined Samverkan yet."""
        return Membership.objects.filter(organisation_id=self.agreement.customer_id).exists()

    @property
    def keeps_terms(self) -> bool:
        """Whether the user's side keeps the agreement's record.

        The customer's. While nobody of the customer organisation has joined (a supplier
        named a new customer and invited its contact), the supplier drafts it, so that it
        can correct what it typed; it is the customer's from the moment the customer joins.
        """
        if self.participant is None:
            return False
        if self.agreement.is_proposal:  # the proposer's until the other side accepts
            return self.participant.side == self.agreement.proposing_side
        if self.participant.side == Side.CUSTOMER:
            return True
        return not self.customer_is_here

    @property
    def can_edit_terms(self) -> bool:
        return self.can_edit and self.keeps_terms

    @property
    def can_end(self) -> bool:
        return self.is_owner and self.keeps_terms

    def refusal(self, need: Need) -> str:
        """Why ``need`` is refused, in words for the person (the API's ``detail``)."""
        if need in (Need.TERMS, Need.END) and self.can_edit and not self.keeps_terms:
            return _(
                "The agreement's details (reference, title, period, value, currency, status, "
                "description, services and language) belong to the customer: only the "
                "customer's editors and owners change them, and only its owners end the "
                "agreement. Ask %(customer)s."
            ) % {"customer": self.agreement.customer.name}
        if need in (Need.OWN, Need.END):
            return _("Only an owner of the agreement may do this.")
        return _("Your role in this agreement does not allow this.")

    @property
    def manageable_sides(self) -> frozenset[str]:
        """Sides whose participants this user may add, change and remove."""
        sides = set(self.admin_sides)
        if self.is_owner and self.participant is not None:
            sides.add(self.participant.side)
        return frozenset(sides)

    @property
    def can_manage_participants(self) -> bool:
        return bool(self.manageable_sides)

    def allows(self, need: Need) -> bool:
        if need is Need.VIEW:
            return True
        if need is Need.EDIT:
            return self.can_edit
        if need is Need.TERMS:
            return self.can_edit_terms
        if need is Need.END:
            return self.can_end
        return self.is_owner

    def require(self, need: Need) -> None:
        """Raise ``PermissionDenied`` with the reason when ``need`` is refused."""
        if not self.allows(need):
            raise PermissionDenied(self.refusal(need))


def _admin_organisation_ids(user: User) -> QuerySet[Membership, int]:
    return Membership.objects.filter(user=user, role=MembershipRole.ADMIN).values_list(
        "organisation_id", flat=True
    )


def _asked(side: str) -> Q:
    """Proposals to ``side``'s organisation it has not accepted: not yet its agreements."""
    return Q(proposal__in=PENDING_PROPOSAL, proposed_to=side)


def visible_agreements(user: User) -> QuerySet[Agreement]:
    """Every agreement the user may see; empty for anonymous or inactive users.

    A proposal the user's organisation has not accepted is not among them (its
    administrators find it with ``proposals_to``).
    """
    if not user.is_authenticated or not user.is_active:
        return Agreement.objects.none()
    admin_orgs = _admin_organisation_ids(user)
    return Agreement.objects.filter(
        Q(
            pk__in=Participant.objects.filter(user=user)
            .exclude(_asked_participant())
            .values("agreement_id")
        )
        | (Q(customer_id__in=admin_orgs) & ~_asked(Side.CUSTOMER))
        | (Q(supplier_id__in=admin_orgs) & ~_asked(Side.SUPPLIER))
    )


def _asked_participant() -> Q:
    """A participant row on the asked side of a pending proposal (the services add none;
    should one exist, it gives no access until the proposal is accepted)."""
    return Q(agreement__proposal__in=PENDING_PROPOSAL, side=F("agreement__proposed_to"))


def agreement_access(user: User, agreement: Agreement) -> AgreementAccess | None:
    """The user's access to an agreement they may see, or None when they may not see it."""
    if not user.is_authenticated or not user.is_active:
        return None
    participant = (
        Participant.objects.filter(agreement=agreement, user=user).select_related("user").first()
    )
    asked = agreement.proposed_to if agreement.is_proposal else ""
    if participant is not None and participant.side == asked:
        participant = None
    admin_orgs = set(_admin_organisation_ids(user))
    admin_sides = frozenset(
        side
        for side, org_id in (
            (Side.CUSTOMER, agreement.customer_id),
            (Side.SUPPLIER, agreement.supplier_id),
        )
        if org_id in admin_orgs and side != asked
    )
    if participant is None and not admin_sides:
        return None
    return AgreementAccess(agreement=agreement, participant=participant, admin_sides=admin_sides)


# The largest key the databases store (SQLite's and PostgreSQL's bigint): a larger id in a
# URL or an API call names nothing, and is a 404 rather than an overflow in the query.
MAX_ID = 2**63 - 1
# Numbers kept in 32-bit columns (round numbers, positions).
MAX_NUMBER = 2**31 - 1


def _known(pk: int, limit: int = MAX_ID) -> int:
    if not 0 < pk <= limit:
        raise Http404
    return pk


def agreement_for(user: User, pk: int, need: Need = Need.VIEW) -> AgreementAccess:
    """Fetch an agreement for a user, or raise 404 (cannot see) / 403 (may not do this)."""
    agreement = (
        Agreement.objects.select_related("customer", "supplier").filter(pk=_known(pk)).first()
    )
    if agreement is None:
        raise Http404
    access = agreement_access(user, agreement)
    if access is None:
        raise Http404
    access.require(need)
    return access


def agreement_by_reference_for(
    user: User, reference: str, need: Need = Need.VIEW
) -> AgreementAccess:
    """As ``agreement_for``, by reference (references are unique per customer)."""
    matches = [
        access
        for agreement in Agreement.objects.select_related("customer", "supplier").filter(
            reference__iexact=reference
        )
        if (access := agreement_access(user, agreement)) is not None
    ]
    if len(matches) != 1:
        raise Http404
    matches[0].require(need)
    return matches[0]


# Proposals ------------------------------------------------------------------------------


def proposals_to(user: User, organisation: Organisation | None = None) -> QuerySet[Agreement]:
    """Open proposals to an organisation the user administers (``organisation``, or any),
    oldest first: theirs to answer."""
    if not user.is_authenticated or not user.is_active:
        return Agreement.objects.none()
    admin_orgs = _admin_organisation_ids(user)
    if organisation is not None:
        admin_orgs = admin_orgs.filter(organisation=organisation)
    return (
        Agreement.objects.filter(
            Q(proposed_to=Side.CUSTOMER, customer_id__in=admin_orgs)
            | Q(proposed_to=Side.SUPPLIER, supplier_id__in=admin_orgs),
            proposal=ProposalState.PROPOSED,
        )
        .select_related("customer", "supplier", "proposed_by")
        .order_by("created_at", "pk")
    )


def proposal_for(user: User, pk: int) -> Agreement:
    """A proposal (open or answered) to an organisation the user administers, or 404.

    Everybody else — the proposer's side included, who use the agreement's own
    pages — gets 404, as for an agreement they cannot see.
    """
    agreement = (
        Agreement.objects.select_related("customer", "supplier", "proposed_by")
        .filter(pk=_known(pk))
        .exclude(proposed_to="")
        .first()
        if user.is_authenticated and user.is_active
        else None
    )
    if (
        agreement is None
        or not Membership.objects.filter(
            user=user,
            role=MembershipRole.ADMIN,
            organisation=agreement.organisation_of(agreement.proposed_to),
        ).exists()
    ):
        raise Http404
    return agreement


def participant_for(access: AgreementAccess, pk: int) -> Participant:
    """A participant of the agreement whose side this user manages (404 / 403 otherwise)."""
    participant = (
        Participant.objects.filter(agreement=access.agreement, pk=_known(pk))
        .select_related("user")
        .first()
    )
    if participant is None:
        raise Http404
    if participant.side not in access.manageable_sides:
        raise PermissionDenied
    return participant


def require_manage_side(access: AgreementAccess, side: str) -> None:
    if side not in access.manageable_sides:
        raise PermissionDenied


# Organisations -----------------------------------------------------------------


def user_organisations(user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct()


def organisation_for(user: User, pk: int, *, admin: bool = False) -> Organisation:
    """An organisation the user belongs to (404 otherwise); 403 when admin is needed and missing."""
    membership = (
        Membership.objects.filter(user=user, organisation_id=_known(pk))
        .select_related("organisation")
        .first()
        if user.is_authenticated
        else None
    )
    if membership is None:
        raise Http404
    if admin and not membership.is_admin:
        raise PermissionDenied
    return membership.organisation


def agreement_part(access: AgreementAccess, model: type[PartT], pk: int) -> PartT:
    """A row of the agreement's data (role, forum, process …) by id, or 404."""
    part = model._default_manager.filter(agreement=access.agreement, pk=_known(pk)).first()
    if part is None:
        raise Http404
    return part


# Objects of a capability -------------------------------------------------------------
# A capability decides who reaches its own objects with these helpers, which know no
# capability: a numbered part of an agreement the person may see, or an object whose
# personal link is the only credential (``<app>/access.py``).

ModelT = TypeVar("ModelT", bound=Model)


def agreement_part_numbered(access: AgreementAccess, model: type[PartT], number: int) -> PartT:
    """A numbered row of the agreement's data (health round 3, appendix version 2), or 404."""
    part = model._default_manager.filter(
        agreement=access.agreement, number=_known(number, MAX_NUMBER)
    ).first()
    if part is None:
        raise Http404
    part.agreement = access.agreement  # type: ignore[attr-defined]  # fetched with both parties
    return part


def linked_object(
    queryset: QuerySet[ModelT], token: str, digest: Callable[[str], str], *, field: str
) -> ModelT:
    """The object a personal link opens, or 404: the link is the only credential.

    Looked up by ``digest(token)`` in ``field`` (only the digest is stored); an
    empty or overlong token is refused before any query.
    """
    if not token or len(token) > 100:
        raise Http404
    found = queryset.filter(**{field: digest(token)}).first()
    if found is None:
        raise Http404
    return found
