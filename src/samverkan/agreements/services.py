"""Writes for agreements and their participants.

Every function validates, saves atomically and leaves the audit trail to
django-auditlog (registered in ``apps.py``); the caller has already asked
the access module whether the actor may do this.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
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
from samverkan.agreements.models import (
    Agreement,
    AgreementStatus,
    Participant,
    ParticipantRole,
    Side,
)
from samverkan.core.errors import StaleEditError
from samverkan.core.validation import text_within

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


def _check_reference_free(agreement: Agreement) -> None:
    clash = Agreement.objects.filter(
        customer_id=agreement.customer_id, reference__iexact=agreement.reference
    ).exclude(pk=agreement.pk)
    if clash.exists():
        raise ValidationError(
            {"reference": _("The customer already has an agreement with this reference.")}
        )


def _normalise_text(text: str) -> str:
    """One line ending, no trailing spaces: browsers send \r\n, files and the API \n."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def _save(agreement: Agreement) -> None:
    agreement.description = text_within(_normalise_text(agreement.description), "description")
    agreement.services = text_within(_normalise_text(agreement.services), "services")
    agreement.full_clean(validate_constraints=False)
    if agreement.annual_value is not None:
        # Store the two decimals the database keeps, so that the audit trail does not
        # report 1250000.00 → 1250000 as a change.
        agreement.annual_value = Decimal(agreement.annual_value).quantize(Decimal("0.01"))
    _check_reference_free(agreement)
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
    *, email: str, counterpart: Organisation | None, own_organisation: Organisation
) -> bool:
    """Whether to invite ``email`` to the counterpart; refused when the person works elsewhere.

    Nobody is made a member of a second organisation without being asked: when the
    address belongs to a member of another organisation, the caller is told (and, when
    that organisation can be the other party, offered it).
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
    choosable = [org for org in organisations if org.kind == kind and org != own_organisation]
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
    new (``counterparts.counterpart_suggestions``). ``counterpart_contact_email`` is
    invited as administrator of a counterpart that has none, unless the person belongs
    to another organisation (refused, see ``_contact_to_invite``). The actor becomes
    the agreement's owner on their side. Nothing is written when anything is refused.
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
    invite = bool(email) and (
        chosen is None
        or not Membership.objects.filter(organisation=chosen, role=MembershipRole.ADMIN).exists()
    )
    if invite:
        invite = _contact_to_invite(
            email=email, counterpart=chosen, own_organisation=own_organisation
        )
    if chosen is None:
        chosen = organisation_create(
            name=name, kind=counterparts.counterpart_kind(own_organisation), org_number=number
        )
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
    )
    _save(agreement)
    Participant.objects.create(
        agreement=agreement, user=actor, side=own_side, role=ParticipantRole.OWNER
    )
    if seed_model:
        from samverkan.collaboration.services import model_seed

        model_seed(agreement=agreement)
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
    _save(agreement)
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
    _save(agreement)
    return agreement


@transaction.atomic
def participant_add(
    *, agreement: Agreement, user: User, side: str, role: str, actor: User
) -> Participant:
    """Add a person from one side's organisation to the agreement."""
    organisation = agreement.organisation_of(side)
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
