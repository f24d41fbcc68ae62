"""Reads for agreements: lists, candidates and history."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db.models import Count, Q, QuerySet

from samverkan.accounts.models import Organisation, User
from samverkan.agreements.access import visible_agreements
from samverkan.agreements.models import PENDING_PROPOSAL, Agreement, Participant, Side


def agreement_list(
    *, user: User, query: str = "", status: str = "", party: int | None = None
) -> QuerySet[Agreement]:
    """The agreements the user may see, filtered; parties loaded, participants counted."""
    qs = visible_agreements(user).select_related("customer", "supplier")
    if query:
        qs = qs.filter(
            Q(reference__icontains=query)
            | Q(title__icontains=query)
            | Q(services__icontains=query)
            | Q(customer__name__icontains=query)
            | Q(supplier__name__icontains=query)
        )
    if status:
        qs = qs.filter(status=status)
    if party:
        qs = qs.filter(Q(customer_id=party) | Q(supplier_id=party))
    return qs.annotate(participant_count=Count("participants", distinct=True)).order_by("reference")


def agreement_parties(*, user: User) -> QuerySet[Organisation]:
    """The organisations that are a party to any agreement the user may see (for filtering)."""
    visible = visible_agreements(user)
    return Organisation.objects.filter(
        Q(pk__in=visible.values("customer_id")) | Q(pk__in=visible.values("supplier_id"))
    ).order_by("name")


def proposal_reference_taken(*, agreement: Agreement) -> bool:
    """Whether accepting the proposal needs another reference: a supplier's proposal
    whose reference the customer already uses. For the customer's administrator, who
    sees all the customer's agreements, so that asking tells them nothing new."""
    if not agreement.is_proposal or agreement.claims_reference:
        return False
    return (
        Agreement.objects.filter(
            customer_id=agreement.customer_id, reference__iexact=agreement.reference
        )
        .exclude(pk=agreement.pk)
        .exclude(proposal__in=PENDING_PROPOSAL, proposed_to=Side.CUSTOMER)
        .exists()
    )


def participant_list(*, agreement: Agreement) -> QuerySet[Participant]:
    return agreement.participants.select_related("user").order_by("side", "user__full_name")


def participant_candidates(*, agreement: Agreement, side: str) -> QuerySet[User]:
    """Members of the side's organisation who do not yet take part."""
    organisation = agreement.organisation_of(side)
    return (
        User.objects.filter(memberships__organisation=organisation, is_active=True)
        .exclude(participations__agreement=agreement)
        .order_by("full_name", "email")
    )


def agreement_history(*, agreement: Agreement) -> QuerySet[LogEntry]:
    """Audit-log entries of the agreement and everything tied to it, newest first."""
    entries: QuerySet[LogEntry] = (
        LogEntry.objects.filter(additional_data__agreement_id=agreement.pk)
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )
    return entries
