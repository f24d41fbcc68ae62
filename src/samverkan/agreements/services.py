"""Writes for agreements and their participants.

Every function validates, saves atomically and leaves the audit trail to
django-auditlog (registered in ``apps.py``); the caller has already asked
the access module whether the actor may do this.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samverkan.accounts.models import (
    Membership,
    MembershipRole,
    Organisation,
    User,
    org_number_normalised,
)
from samverkan.accounts.selectors import organisation_with_number
from samverkan.accounts.services import invitation_create, organisation_create
from samverkan.agreements import counterparts
from samverkan.agreements.access import visible_agreements
from samverkan.agreements.models import (
    PENDING_PROPOSAL,
    Agreement,
    AgreementStatus,
    Participant,
    ParticipantRole,
    ProposalState,
    Side,
    other_side,
)
from samverkan.core import registry
from samverkan.core.errors import StaleEditError
from samverkan.core.validation import text_within
from samverkan.lib import limits

EDITABLE_FIELDS = (
    "reference",
    "title",
    "description",
    "services",
    "start_date",
    "end_date",
    "annual_value",
    "currency",
    "status",
    "language",
)


def _check_reference_free(agreement: Agreement, actor: User | None) -> None:
    """Refuse a reference that is taken, telling ``actor`` nothing they cannot see.

    References are the customer's. An agreement that claims one (any but a supplier's
    pending proposal) is checked against the customer's: the customer's own people
    share that series, as a company shares its numbering. A supplier's pending
    proposal claims none until the customer accepts it, so it is checked only against
    the agreements and proposals with that customer the actor can see; whether the
    customer has the reference is decided when its administrator accepts.
    """
    same = Agreement.objects.filter(
        customer_id=agreement.customer_id, reference__iexact=agreement.reference
    ).exclude(pk=agreement.pk)
    if agreement.claims_reference:
        if same.exclude(proposal__in=PENDING_PROPOSAL, proposed_to=Side.CUSTOMER).exists():
            raise ValidationError(
                {"reference": _("The customer already has an agreement with this reference.")}
            )
        return
    if (
        agreement.pk
        and same.model.objects.filter(
            pk=agreement.pk, reference__iexact=agreement.reference
        ).exists()
    ):
        return  # kept as it was: whatever appeared since is for its accepting to sort out
    seen = same.exclude(proposal=ProposalState.DECLINED)
    if actor is not None:
        seen = seen.filter(pk__in=visible_agreements(actor).values("pk"))
    else:
        seen = seen.filter(supplier_id=agreement.supplier_id)
    if seen.exists():
        raise ValidationError(
            {
                "reference": _(
                    "There is already an agreement or a proposal with %(customer)s with this "
                    "reference."
                )
                % {"customer": agreement.customer.name}
            }
        )


def _normalise_text(text: str) -> str:
    """One line ending, no trailing spaces: browsers send \r\n, files and the API \n."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def _save(agreement: Agreement, actor: User | None) -> None:
    for field in ("reference", "title"):
        text_within(getattr(agreement, field), field)  # refuses control characters
    agreement.description = text_within(_normalise_text(agreement.description), "description")
    agreement.services = text_within(_normalise_text(agreement.services), "services")
    agreement.full_clean(validate_constraints=False)
    if agreement.annual_value is not None:
        # Store the two decimals the database keeps, so that the audit trail does not
        # report 1250000.00 → 1250000 as a change.
        agreement.annual_value = Decimal(agreement.annual_value).quantize(Decimal("0.01"))
    _check_reference_free(agreement, actor)
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError as exc:  # a concurrent insert won the race for the reference
        raise ValidationError(
            {"reference": _("The customer already has an agreement with this reference.")}
        ) from exc


def _counterpart_for(
    *,
    own_organisation: Organisation,
    counterpart: Organisation | None,
    name: str,
    org_number: str,
    new: bool,
) -> tuple[Organisation | None, str, str]:
    """The chosen or named counterpart; (None, name, number) when a new one is to be made.

    Refuses, with the organisations to choose from, a name that probably means one
    already here (unless ``new`` says it is new) and a number another one has.
    """
    kind = counterparts.counterpart_kind(own_organisation)
    if counterpart is not None:
        if counterpart.pk == own_organisation.pk or counterpart.kind != kind:
            raise ValidationError(
                {
                    "counterpart": _(
                        "%(name)s cannot be the other party: a customer's agreement is with a "
                        "supplier, a supplier's with a customer."
                    )
                    % {"name": counterpart.name}
                }
            )
        return counterpart, counterpart.name, ""
    name = name.strip()
    if not name:
        raise ValidationError({"counterpart_name": _("Name the other party of the agreement.")})
    if name.lower() == own_organisation.name.lower():
        raise ValidationError(
            {"counterpart_name": _("The other party must be another organisation than your own.")}
        )
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing is not None:
        return _counterpart_for(
            own_organisation=own_organisation, counterpart=existing, name="", org_number="", new=new
        )
    try:
        number = org_number_normalised(org_number)
    except ValidationError as exc:
        raise ValidationError({"counterpart_org_number": exc.messages}) from exc
    holder = organisation_with_number(number)
    if holder is not None and holder.kind == kind:
        raise counterparts.CounterpartMatchError(
            {
                "counterpart_org_number": _(
                    "%(number)s is the organisation number of %(organisation)s. Choose "
                    "%(organisation)s, or correct the number."
                )
                % {"number": number, "organisation": holder.name}
            },
            [holder],
        )
    if holder is not None:
        raise ValidationError(
            {
                "counterpart_org_number": _(
                    "Another organisation here has the organisation number %(number)s."
                )
                % {"number": number}
            }
        )
    if not new:
        matches = counterparts.counterpart_suggestions(
            own_organisation=own_organisation, typed=name
        )
        if matches:
            raise counterparts.CounterpartMatchError(
                {"counterpart_name": counterparts.did_you_mean(matches)}, matches
            )
    return None, name, number


def _contact_to_invite(
    *, email: str, counterpart: Organisation | None, own_organisation: Organisation, typed: str
) -> bool:
    """Whether to invite ``email`` to the counterpart; refused when the person works elsewhere.

    Nobody is made a member of a second organisation without being asked: when the
    address belongs to a member of another organisation, the caller is told. That
    organisation is named (and offered as the other party) only when the name typed
    already suggests it: an e-mail address alone never tells anyone where a person works.
    """
    person = User.objects.filter(email__iexact=email).first()
    if person is None:
        return True
    organisations = list(Organisation.objects.filter(memberships__user=person).order_by("name"))
    if counterpart is not None and counterpart in organisations:
        return False  # already there: nothing to invite
    if not organisations:
        return True
    kind = counterparts.counterpart_kind(own_organisation)
    suggested = set(
        counterparts.counterpart_suggestions(own_organisation=own_organisation, typed=typed)
    )
    choosable = [
        org
        for org in organisations
        if org.kind == kind and org != own_organisation and org in suggested
    ]
    if choosable:
        raise counterparts.CounterpartMatchError(
            {
                "counterpart_contact_email": _(
                    "%(email)s already belongs to %(organisation)s. Choose %(organisation)s "
                    "as the other party, or invite another contact."
                )
                % {"email": email, "organisation": choosable[0].name}
            },
            choosable,
        )
    raise ValidationError(
        {
            "counterpart_contact_email": _(
                "%(email)s already belongs to another organisation here. Invite another "
                "contact at the other party."
            )
            % {"email": email}
        }
    )


@transaction.atomic
def agreement_create(
    *,
    actor: User,
    own_organisation: Organisation,
    counterpart: Organisation | None = None,
    counterpart_name: str = "",
    counterpart_org_number: str = "",
    new_counterpart: bool = False,
    counterpart_contact_email: str = "",
    reference: str,
    title: str,
    description: str = "",
    services: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    annual_value: Decimal | None = None,
    currency: str = "SEK",
    status: str = AgreementStatus.DRAFT,
    language: str = "sv",
    seed_model: bool = True,
) -> Agreement:
    """Create an agreement between the actor's organisation and a counterpart.

    The actor's organisation takes the side its kind says (a supplier organisation
    is the supplier, any other the customer). The counterpart is the organisation
    chosen (``counterpart``), the one of exactly that name, or a new one — but a name
    that probably means an organisation already here raises ``CounterpartMatchError``
    with the organisations to choose from, unless ``new_counterpart`` confirms it is
    new (``counterparts.counterpart_suggestions``). The actor becomes the agreement's
    owner on their side. Nothing is written when anything is refused.

    A counterpart made now is the proposer's to describe: ``counterpart_contact_email``
    is invited as its administrator, unless the person belongs to another organisation
    (refused, see ``_contact_to_invite``), and the agreement is made as today. An
    existing counterpart the actor does not belong to is asked instead: the agreement
    is a *proposal* to it (``proposal_accept``, ``proposal_decline``) and its
    administrators are told by e-mail. Nothing of that organisation is touched — nobody
    of it is added, and no contact is invited into it: an invitation to administer an
    existing organisation would hand it, and its agreements, to the proposer.
    """
    if not Membership.objects.filter(user=actor, organisation=own_organisation).exists():
        raise ValidationError({"own_organisation": _("You are not a member of this organisation.")})
    own_side = counterparts.side_of(own_organisation)
    chosen, name, number = _counterpart_for(
        own_organisation=own_organisation,
        counterpart=counterpart,
        name=counterpart_name,
        org_number=counterpart_org_number,
        new=new_counterpart,
    )
    email = counterpart_contact_email.strip().lower()
    invite = bool(email) and chosen is None
    if invite:
        invite = _contact_to_invite(
            email=email, counterpart=chosen, own_organisation=own_organisation, typed=name
        )
    proposed_to = ""
    if chosen is None:
        chosen = organisation_create(
            name=name, kind=counterparts.counterpart_kind(own_organisation), org_number=number
        )
    elif not Membership.objects.filter(user=actor, organisation=chosen).exists():
        proposed_to = other_side(own_side)
    customer, supplier = (
        (own_organisation, chosen) if own_side == Side.CUSTOMER else (chosen, own_organisation)
    )
    agreement = Agreement(
        customer=customer,
        supplier=supplier,
        reference=reference.strip(),
        title=title.strip(),
        description=description,
        services=services,
        start_date=start_date,
        end_date=end_date,
        annual_value=annual_value,
        currency=currency,
        status=status,
        language=language,
        proposal=ProposalState.PROPOSED if proposed_to else ProposalState.NONE,
        proposed_to=proposed_to,
        proposed_by=actor if proposed_to else None,
    )
    _save(agreement, actor)
    Participant.objects.create(
        agreement=agreement, user=actor, side=own_side, role=ParticipantRole.OWNER
    )
    if proposed_to:
        from samverkan.agreements import tasks

        transaction.on_commit(lambda: tasks.send_proposal_requests.enqueue(agreement.pk))
    if seed_model:
        for starter in registry.agreement_starters():  # the starter roles, and what comes
            starter.start(agreement)
    if invite:
        invitation_create(
            organisation=chosen, email=email, role=MembershipRole.ADMIN, invited_by=actor
        )
    return agreement


def agreement_changed_fields(*, agreement: Agreement, **values: Any) -> list[str]:
    """The fields ``agreement_update`` would change with these values, in the order given.

    Compares as saving would store them (texts normalised, amounts to two decimals),
    so that a file repeating the agreement as it is changes nothing.
    """
    changed = []
    for field, value in values.items():
        current = getattr(agreement, field)
        if field in ("description", "services"):
            value, current = _normalise_text(value or ""), _normalise_text(current or "")
        elif field in ("reference", "title") and isinstance(value, str):
            value = value.strip()
        elif field == "annual_value" and value is not None:
            value = Decimal(value).quantize(Decimal("0.01"))
        if value != current:
            changed.append(field)
    return changed


def _claim(agreement: Agreement, version: int | None) -> None:
    """Claim the agreement for this change, or raise StaleEditError if it moved on.

    ``version`` is the one the editor read; None (an import, the demo, ending) claims
    it whatever it is now.
    """
    rows = Agreement.objects.filter(pk=agreement.pk)
    if version is None:
        rows.update(version=F("version") + 1)
        agreement.version = rows.values_list("version", flat=True).get()
        return
    if not rows.filter(version=version).update(version=F("version") + 1):
        raise StaleEditError
    agreement.version = version + 1


@transaction.atomic
def agreement_update(
    *, agreement: Agreement, actor: User, version: int | None = None, **changes: Any
) -> Agreement:
    """Change the agreement's own fields (not its parties). Unknown fields are refused.

    ``version`` is the agreement's version the editor read; when someone else saved
    since, nothing is written and ``StaleEditError`` is raised.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    _claim(agreement, version)
    for field, value in changes.items():
        setattr(
            agreement,
            field,
            value.strip() if isinstance(value, str) and field in ("reference", "title") else value,
        )
    _save(agreement, actor)
    return agreement


@transaction.atomic
def agreement_end(
    *, agreement: Agreement, actor: User, end_date: datetime.date | None = None
) -> Agreement:
    """Mark the agreement as ended, on ``end_date`` or today."""
    if agreement.status == AgreementStatus.ENDED:
        raise ValidationError(_("The agreement has already ended."))
    _claim(agreement, None)
    agreement.status = AgreementStatus.ENDED
    agreement.end_date = end_date or agreement.end_date or timezone.localdate()
    if agreement.start_date and agreement.end_date < agreement.start_date:
        agreement.end_date = agreement.start_date
    _save(agreement, actor)
    return agreement


@transaction.atomic
def participant_add(
    *, agreement: Agreement, user: User, side: str, role: str, actor: User
) -> Participant:
    """Add a person from one side's organisation to the agreement."""
    organisation = agreement.organisation_of(side)
    if agreement.is_proposal and side == agreement.proposed_to:
        raise ValidationError(
            {
                "user": _(
                    "Nobody from %(organisation)s takes part until %(organisation)s accepts "
                    "the proposal."
                )
                % {"organisation": organisation}
            }
        )
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(
            {
                "user": _("%(name)s is not a member of %(organisation)s.")
                % {"name": user, "organisation": organisation}
            }
        )
    if Participant.objects.filter(agreement=agreement, user=user).exists():
        raise ValidationError(
            {"user": _("%(name)s already takes part in this agreement.") % {"name": user}}
        )
    participant = Participant(agreement=agreement, user=user, side=side, role=role)
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def participant_set_role(*, participant: Participant, role: str, actor: User) -> Participant:
    if role not in ParticipantRole.values:
        raise ValidationError({"role": _("Unknown role.")})
    if participant.role == ParticipantRole.OWNER and role != ParticipantRole.OWNER:
        _check_not_last_owner(participant)
    participant.role = role
    participant.save(update_fields=["role"])
    return participant


@transaction.atomic
def participant_remove(*, participant: Participant, actor: User) -> None:
    if participant.role == ParticipantRole.OWNER:
        _check_not_last_owner(participant)
    participant.delete()


def _check_not_last_owner(participant: Participant) -> None:
    owners = Participant.objects.filter(
        agreement_id=participant.agreement_id, side=participant.side, role=ParticipantRole.OWNER
    )
    if owners.count() <= 1:
        raise ValidationError(_("Each side keeps at least one owner; add another owner first."))


# Proposals -----------------------------------------------------------------------------


def _claim_open_proposal(agreement: Agreement, version: int | None) -> None:
    """Claim the proposal for an answer: refused when it changed since ``version`` was
    read (``StaleEditError``) or has been answered already."""
    _claim(agreement, version)
    state = Agreement.objects.filter(pk=agreement.pk).values_list("proposal", flat=True).get()
    if state != ProposalState.PROPOSED:
        raise ValidationError(_("This proposal has already been answered."))


@transaction.atomic
def proposal_accept(
    *, agreement: Agreement, actor: User, version: int | None, reference: str = ""
) -> Agreement:
    """Accept a proposal for the organisation asked: it becomes an agreement of both
    parties, with ``actor`` — an administrator of that organisation, as the caller has
    checked with ``access.proposal_for`` — as its owner on that side.

    ``version`` is the one the administrator read: a proposal changed since raises
    ``StaleEditError``. A supplier's proposal takes a reference among the customer's
    only now: when the customer has it already, ``ValidationError`` on ``reference``
    asks for another (``reference`` replaces the proposal's). The proposer's owners are
    told by e-mail.
    """
    side = agreement.proposed_to
    organisation = agreement.organisation_of(side)
    if not Membership.objects.filter(user=actor, organisation=organisation).exists():
        raise ValidationError(
            _("Only an administrator of %(organisation)s can answer this proposal.")
            % {"organisation": organisation}
        )
    if reference.strip() and side != Side.CUSTOMER:
        # The reference is the customer's: a supplier accepting a customer's proposal may
        # neither change it nor probe the customer's other references with it.
        raise ValidationError(
            {"reference": _("The reference is the customer's; accept without one.")}
        )
    _claim_open_proposal(agreement, version)
    if reference.strip():
        agreement.reference = reference.strip()
    agreement.proposal = ProposalState.ACCEPTED
    agreement.proposal_answered_at = timezone.now()
    try:
        _save(agreement, actor)
    except ValidationError as exc:
        if "reference" not in getattr(exc, "error_dict", {}):
            raise
        raise ValidationError(
            {
                "reference": _(
                    "%(organisation)s already has an agreement with the reference "
                    "%(reference)s. Give this one another reference to accept it."
                )
                % {"organisation": agreement.customer.name, "reference": agreement.reference}
            }
        ) from exc
    Participant.objects.create(
        agreement=agreement, user=actor, side=side, role=ParticipantRole.OWNER
    )
    _answer_told(agreement)
    return agreement


@transaction.atomic
def proposal_decline(
    *, agreement: Agreement, actor: User, version: int | None, reason: str = ""
) -> Agreement:
    """Decline a proposal for the organisation asked (the caller has checked that
    ``actor`` administers it). It stays with the proposer, marked declined with
    ``reason``, and never becomes the asked organisation's; its owners are told."""
    reason = _normalise_text(reason or "")
    if len(reason) > limits.TEXT_MAX:
        raise ValidationError(
            {
                "reason": _("At most %(max)s characters; this has %(n)s.")
                % {"max": limits.TEXT_MAX, "n": len(reason)}
            }
        )
    _claim_open_proposal(agreement, version)
    agreement.proposal = ProposalState.DECLINED
    agreement.proposal_answered_at = timezone.now()
    agreement.proposal_reason = reason
    agreement.save(
        update_fields=["proposal", "proposal_answered_at", "proposal_reason", "updated_at"]
    )
    _answer_told(agreement)
    return agreement


def _answer_told(agreement: Agreement) -> None:
    from samverkan.agreements import tasks

    transaction.on_commit(lambda: tasks.send_proposal_answer.enqueue(agreement.pk))


def _send(person: User, template: str, subject: str, context: dict[str, Any]) -> None:
    body = render_to_string(template, {**context, "person": person})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email], fail_silently=False)


def proposal_url(agreement: Agreement) -> str:
    return settings.SAMVERKAN_BASE_URL + reverse("agreements:proposal", args=[agreement.pk])


def proposal_requests_send(*, agreement: Agreement) -> int:
    """E-mail the asked organisation's administrators, each in their language, that a
    proposal awaits their answer; the number sent (none once it has been answered)."""
    if agreement.proposal != ProposalState.PROPOSED:
        return 0
    asked = agreement.organisation_of(agreement.proposed_to)
    admins = User.objects.filter(
        memberships__organisation=asked, memberships__role=MembershipRole.ADMIN, is_active=True
    ).order_by("email")
    proposer = agreement.organisation_of(agreement.proposing_side)
    context: dict[str, Any] = {
        "agreement": agreement,
        "asked": asked,
        "proposer": proposer,
        "by": agreement.proposed_by.get_full_name() if agreement.proposed_by else "",
        "url": proposal_url(agreement),
    }
    for person in admins:
        with translation.override(person.language):
            subject = _("Proposed agreement from %(organisation)s: %(reference)s %(title)s") % {
                "organisation": proposer.name,
                "reference": agreement.reference,
                "title": agreement.title,
            }
            _send(person, "agreements/email/proposal_request.txt", subject, context)
    return len(admins)


def proposal_answer_send(*, agreement: Agreement) -> int:
    """E-mail the proposing side's owners that the proposal was accepted or declined
    (with the reason); the number sent."""
    if agreement.proposal not in (ProposalState.ACCEPTED, ProposalState.DECLINED):
        return 0
    owners = [
        participant.user
        for participant in agreement.participants.filter(
            side=agreement.proposing_side, role=ParticipantRole.OWNER, user__is_active=True
        ).select_related("user")
    ]
    asked = agreement.organisation_of(agreement.proposed_to)
    context: dict[str, Any] = {
        "agreement": agreement,
        "asked": asked,
        "url": settings.SAMVERKAN_BASE_URL + reverse("agreements:detail", args=[agreement.pk]),
    }
    for person in owners:
        with translation.override(person.language):
            words = {"organisation": asked.name, "reference": agreement.reference}
            if agreement.proposal == ProposalState.ACCEPTED:
                subject = _("%(organisation)s has accepted the proposed agreement %(reference)s")
            else:
                subject = _("%(organisation)s has declined the proposed agreement %(reference)s")
            _send(person, "agreements/email/proposal_answer.txt", subject % words, context)
    return len(owners)
