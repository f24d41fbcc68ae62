"""Writes for what innovation achieved and what it cost: an idea's realised effect, and
the joint innovation fund's ledger.

**Realised effect.** After implementation the parties measure what the idea achieved,
in the unit of its expected effect, on a date, with the evidence (a report, a
measurement, a reading of the ticket system). Recording it for an implemented idea
moves the idea to "effect measured" in the same step; nothing else can, so every
measured idea has its figure. Afterwards the figure can be corrected (with the
``version`` read). Editors and owners of either side record it: measuring is joint.

**The fund's ledger.** Under a joint innovation fund each party pays in its yearly
contribution and the fund pays for ideas (or for something else the parties name).
Editors and owners of either side keep the ledger; a contribution names the side that
paid it, a spending may name the idea it paid for, and the fund never goes below zero.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.agreements.models import Agreement, Side
from samverkan.core.errors import StaleEditError
from samverkan.core.formatting import format_money
from samverkan.core.validation import text_within
from samverkan.innovation.idea_services import figure, idea_transition
from samverkan.innovation.models import (
    Framework,
    FundEntry,
    FundEntryKind,
    Funding,
    Idea,
    RealisedEffect,
    Stage,
)
from samverkan.lib import limits

RECORDABLE = frozenset({Stage.IMPLEMENTED, Stage.MEASURED})


def _date(problems: dict[str, list[str]], field: str, value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        problems.setdefault(field, []).append(_("Enter a valid date."))
        return None
    day: datetime.date = value
    return day


@transaction.atomic
def effect_record(
    *,
    idea: Idea,
    actor: User | None,
    realised: Decimal | int | str | None,
    measured_on: datetime.date | None,
    evidence: str,
    version: int | None,
) -> RealisedEffect:
    """Record (or correct) the idea's realised effect.

    For an implemented idea ``version`` is the idea's: the effect is recorded and the
    idea moves to "effect measured" as one step. For a measured idea it is the
    effect's own version, and the figure, date or evidence is corrected. Refused, by
    field, without a number, with a date in the future or before the idea was
    proposed, or without evidence; refused for an idea not yet implemented.
    """
    idea.refresh_from_db(fields=["stage", "version", "created_at"])
    if idea.stage not in RECORDABLE:
        raise ValidationError(
            _(
                "The realised effect is recorded once the idea is implemented; this one is "
                "“%(stage)s”."
            )
            % {"stage": Stage(idea.stage).label},
            code="not_implemented",
        )
    problems: dict[str, list[str]] = {}
    value = figure(problems, "realised", realised)
    if value is None and "realised" not in problems:
        problems["realised"] = [_("Enter the realised effect as a number.")]
    day = _date(problems, "measured_on", measured_on)
    today = timezone.localdate()
    if day is not None and day > today:
        problems["measured_on"] = [_("The effect cannot be measured in the future.")]
    elif day is not None and day < timezone.localtime(idea.created_at).date():
        problems["measured_on"] = [_("The effect cannot be measured before the idea was proposed.")]
    try:
        clean_evidence = text_within(evidence, "evidence")
    except ValidationError as exc:
        problems.update(exc.message_dict)
        clean_evidence = ""
    if not clean_evidence and "evidence" not in problems:
        problems["evidence"] = [
            _("Say what the figure rests on: a report, a measurement, a reading of a system.")
        ]
    if problems:
        raise ValidationError(problems)
    assert value is not None and day is not None
    existing = RealisedEffect.objects.filter(idea=idea).first()
    if existing is None:
        if idea.stage != Stage.IMPLEMENTED or (version is not None and version != idea.version):
            raise StaleEditError
        effect = RealisedEffect(
            idea=idea,
            agreement_id=idea.agreement_id,
            realised=value,
            measured_on=day,
            evidence=clean_evidence,
            recorded_by=actor,
        )
        effect.full_clean(exclude=["idea", "agreement", "recorded_by"])
        effect.save()
        idea_transition(idea=idea, actor=actor, to=Stage.MEASURED, version=version)
        return effect
    claimed = RealisedEffect.objects.filter(pk=existing.pk)
    if version is not None:
        claimed = claimed.filter(version=version)
    if not claimed.update(version=F("version") + 1):
        raise StaleEditError
    existing.refresh_from_db(fields=["version"])
    existing.realised, existing.measured_on, existing.evidence = value, day, clean_evidence
    existing.recorded_by = actor
    existing.full_clean(exclude=["idea", "agreement", "recorded_by"])
    existing.save(update_fields=["realised", "measured_on", "evidence", "recorded_by"])
    return existing


# The joint fund's ledger --------------------------------------------------------------------


def fund_balance(agreement: Agreement) -> int:
    """What the fund holds now: contributions paid in minus spendings (one query)."""
    totals = FundEntry.objects.filter(agreement=agreement).aggregate(
        paid=Sum("amount", filter=Q(kind=FundEntryKind.CONTRIBUTION)),
        spent=Sum("amount", filter=Q(kind=FundEntryKind.SPENDING)),
    )
    return int(totals["paid"] or 0) - int(totals["spent"] or 0)


@transaction.atomic
def fund_entry_add(
    *,
    agreement: Agreement,
    actor: User | None,
    kind: str,
    amount: int,
    on: datetime.date | None,
    side: str = "",
    idea: Idea | None = None,
    text: str = "",
) -> FundEntry:
    """Add a line to the joint fund's ledger.

    Refused when the framework has no joint fund, for a contribution without its side,
    an amount that is not a positive whole number of SEK, a date in the future, an idea
    of another agreement, and a spending larger than what the fund holds (naming the
    balance). Problems are raised at once, by field.
    """
    # Lock the framework so that two spendings at once cannot both take the last krona.
    framework = Framework.objects.select_for_update().filter(agreement=agreement).first()
    if framework is None or framework.funding != Funding.JOINT_FUND:
        raise ValidationError(
            _(
                "The innovation framework has no joint innovation fund: choose that funding "
                "model in the framework first."
            ),
            code="no_fund",
        )
    problems: dict[str, list[str]] = {}
    if kind not in FundEntryKind.values:
        problems["kind"] = [_("Choose a contribution or a spending.")]
    if kind == FundEntryKind.CONTRIBUTION and side not in Side.values:
        problems["side"] = [_("Choose the party that paid the contribution.")]
    if kind != FundEntryKind.CONTRIBUTION:
        side = ""
    if (
        isinstance(amount, bool)
        or not isinstance(amount, int)
        or not 0 < amount <= limits.AMOUNT_MAX
    ):
        problems["amount"] = [_("Enter the amount as a whole number of SEK above zero.")]
    day = _date(problems, "on", on)
    if day is not None and day > timezone.localdate():
        problems["on"] = [_("Record what has been paid: the date cannot be in the future.")]
    if idea is not None and idea.agreement_id != agreement.pk:
        problems["idea"] = [_("Choose an idea of this agreement.")]
    try:
        clean_text = text_within(text, "text", limits.LINE_MAX)
    except ValidationError as exc:
        problems.update(exc.message_dict)
        clean_text = ""
    if (
        kind == FundEntryKind.SPENDING
        and idea is None
        and not clean_text
        and "text" not in problems
    ):
        problems["text"] = [_("Say what the fund paid for, or choose the idea.")]
    if not problems and FundEntry.objects.filter(agreement=agreement).count() >= (
        limits.FUND_ENTRIES_MAX
    ):
        problems["amount"] = [
            _("The ledger holds at most %(most)s lines.") % {"most": limits.FUND_ENTRIES_MAX}
        ]
    if not problems and kind == FundEntryKind.SPENDING:
        balance = fund_balance(agreement)
        if amount > balance:
            problems["amount"] = [
                _("The fund holds %(balance)s; it cannot pay %(amount)s.")
                % {"balance": format_money(balance), "amount": format_money(amount)}
            ]
    if problems:
        raise ValidationError(problems)
    assert day is not None
    entry = FundEntry(
        agreement=agreement,
        kind=kind,
        side=side,
        idea=idea,
        on=day,
        amount=amount,
        text=clean_text,
        recorded_by=actor,
    )
    entry.full_clean(exclude=["agreement", "idea", "recorded_by"])
    entry.save()
    return entry


@transaction.atomic
def fund_entry_remove(*, entry: FundEntry) -> None:
    """Remove a line recorded by mistake; refused when removing a contribution would leave
    the fund below zero (what was paid for it has already been spent)."""
    Framework.objects.select_for_update().filter(agreement=entry.agreement_id).first()
    if entry.kind == FundEntryKind.CONTRIBUTION:
        balance = fund_balance(entry.agreement)
        if balance - entry.amount < 0:
            raise ValidationError(
                _(
                    "Without this contribution the fund would hold %(balance)s: remove the "
                    "spendings it paid for first."
                )
                % {"balance": format_money(balance - entry.amount)},
                code="below_zero",
            )
    entry.delete()
