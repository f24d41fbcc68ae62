"""Agreements between one customer and one supplier, and the people taking part."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import Organisation, User


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ENDING = "ending", _("Ending")
    ENDED = "ended", _("Ended")


class Side(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    SUPPLIER = "supplier", _("Supplier")


def other_side(side: str) -> str:
    return Side.SUPPLIER if side == Side.CUSTOMER else Side.CUSTOMER


class ProposalState(models.TextChoices):
    """Whether the other organisation has agreed to the agreement (see ``Agreement.proposal``)."""

    NONE = "", _("not a proposal")
    PROPOSED = "proposed", _("proposed")
    DECLINED = "declined", _("declined")
    ACCEPTED = "accepted", _("accepted")


# A proposal not (yet) accepted: the asked organisation's agreement only once it accepts.
PENDING_PROPOSAL = (ProposalState.PROPOSED, ProposalState.DECLINED)


class Currency(models.TextChoices):
    SEK = "SEK", "SEK"
    EUR = "EUR", "EUR"
    NOK = "NOK", "NOK"
    DKK = "DKK", "DKK"
    USD = "USD", "USD"


class Agreement(models.Model):
    """An IT sourcing agreement joining one customer and one supplier organisation."""

    customer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="agreements_as_customer",
        verbose_name=_("customer"),
    )
    supplier = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="agreements_as_supplier",
        verbose_name=_("supplier"),
    )
    reference = models.CharField(_("reference"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    services = models.TextField(
        _("services"), blank=True, help_text=_("The services the supplier delivers, one per line.")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    annual_value = models.DecimalField(
        _("annual value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.SEK
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    language = models.CharField(
        _("document language"),
        max_length=8,
        choices=[("sv", _("Swedish")), ("en", _("English"))],
        default="sv",
        help_text=_("The language of the collaboration model and the appendix."),
    )
    # Bumped by every change of the agreement's own fields: an edit that started from an
    # older version is refused instead of overwriting what someone else saved meanwhile.
    version = models.PositiveIntegerField(default=1)
    # An agreement naming an existing organisation its creator does not belong to is a
    # proposal to that organisation ("proposed_to" is its side) until one of its
    # administrators accepts it; see agreements/access.py for who sees what meanwhile.
    proposal = models.CharField(
        _("proposal"), max_length=16, choices=ProposalState.choices, blank=True, default=""
    )
    proposed_to = models.CharField(
        _("proposed to"), max_length=16, choices=Side.choices, blank=True, default=""
    )
    proposed_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposal_answered_at = models.DateTimeField(_("proposal answered"), null=True, blank=True)
    proposal_reason = models.TextField(_("reason for declining"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["reference"]
        constraints = [
            # References are the customer's. A supplier's proposal claims none of them
            # until the customer accepts it (so proposing tells nothing about them).
            models.UniqueConstraint(
                "customer",
                Lower("reference"),
                name="agreement_reference_unique_per_customer",
                condition=~models.Q(proposal__in=PENDING_PROPOSAL, proposed_to=Side.CUSTOMER),
            ),
            models.CheckConstraint(
                condition=~models.Q(customer=models.F("supplier")),
                name="agreement_parties_differ",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The end date must not be before the start date.")}
            )
        if self.customer_id and self.customer_id == self.supplier_id:
            raise ValidationError(
                {"supplier": _("The supplier must be another organisation than the customer.")}
            )
        if self.annual_value is not None and self.annual_value < 0:
            raise ValidationError({"annual_value": _("The annual value cannot be negative.")})

    def organisation_of(self, side: str) -> Organisation:
        return self.customer if side == Side.CUSTOMER else self.supplier

    @property
    def is_proposal(self) -> bool:
        """Proposed (or declined) and not accepted: not the asked organisation's agreement."""
        return self.proposal in PENDING_PROPOSAL

    @property
    def proposing_side(self) -> str:
        """The side that proposed the agreement ("" when it was never a proposal)."""
        return other_side(self.proposed_to) if self.proposed_to else ""

    @property
    def asked_organisation(self) -> Organisation | None:
        """The organisation the agreement was proposed to, if it was a proposal."""
        return self.organisation_of(self.proposed_to) if self.proposed_to else None

    @property
    def proposing_organisation(self) -> Organisation | None:
        """The organisation that proposed the agreement, if it was a proposal."""
        return self.organisation_of(self.proposing_side) if self.proposed_to else None

    @property
    def claims_reference(self) -> bool:
        """Whether the reference is taken among the customer's (a supplier's pending
        proposal takes none: the customer has not agreed to it)."""
        return not (self.is_proposal and self.proposed_to == Side.CUSTOMER)

    def get_additional_data(self) -> dict[str, Any]:
        """Ties audit-log entries to this agreement (read by django-auditlog)."""
        return {"agreement_id": self.pk}

    @property
    def services_list(self) -> list[str]:
        return [line.strip() for line in self.services.splitlines() if line.strip()]


class ParticipantRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


class Participant(models.Model):
    """A person taking part in an agreement from one side, with a role."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("agreement"),
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="participations", verbose_name=_("person")
    )
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    role = models.CharField(_("role"), max_length=16, choices=ParticipantRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["side", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "user"], name="participant_unique"),
        ]

    def __str__(self) -> str:
        # Kept free of translated words: the audit trail stores it once and shows it in any language.
        return str(self.user)

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}

    @property
    def can_edit(self) -> bool:
        return self.role in (ParticipantRole.OWNER, ParticipantRole.EDITOR)

    @property
    def can_manage(self) -> bool:
        return self.role == ParticipantRole.OWNER
