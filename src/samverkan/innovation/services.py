"""Writes for the innovation framework.

``framework_save`` makes an agreement's framework what the caller says, whole: the
form, the API and the agreement file all call it, so they refuse the same things
with the same words. Problems are raised as one ``ValidationError`` whose keys are
paths (``criteria``, ``goals[1].target``, ``customer_share``), so a form shows each
beside its field and the API names it. Saving takes the ``version`` the editor read
(0: there was no framework yet) and raises ``StaleEditError`` when someone saved in
between; ``None`` (an import, the demo) saves whatever is there now.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.agreements.models import Agreement
from samverkan.collaboration.models import Forum, Role, RoleSide
from samverkan.core.errors import StaleEditError
from samverkan.core.governance import Cadence
from samverkan.core.validation import text_problem, text_within
from samverkan.innovation import catalogue
from samverkan.innovation.models import Criterion, Framework, Funding, Goal
from samverkan.lib import limits

FIGURE_MAX = Decimal(10) ** 13  # a goal's baseline and target stay below this, either sign


def weights_problem(weights: Sequence[int]) -> str | None:
    """Why the weights do not do, in words that say by how much; None when they add up to 100."""
    total = sum(weights)
    if total == 100:
        return None
    if total < 100:
        return _("The weights add up to %(total)s: %(off)s short of 100.") % {
            "total": total,
            "off": 100 - total,
        }
    return _("The weights add up to %(total)s: %(off)s over 100.") % {
        "total": total,
        "off": total - 100,
    }


def shares_problem(customer: int, supplier: int) -> str | None:
    total = customer + supplier
    if total == 100:
        return None
    if total < 100:
        return _("The shares add up to %(total)s %%: %(off)s short of 100.") % {
            "total": total,
            "off": 100 - total,
        }
    return _("The shares add up to %(total)s %%: %(off)s over 100.") % {
        "total": total,
        "off": total - 100,
    }


class _Problems:
    """Collects problems by path, to raise them all at once."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.found.setdefault(path, []).append(message)

    def raise_any(self) -> None:
        if self.found:
            raise ValidationError(self.found)


def _text(problems: _Problems, path: str, value: Any, most: int, *, required: bool) -> str:
    text = str(value or "").strip()
    if (problem := text_problem(text)) is not None:
        problems.add(path, problem)
    elif required and not text:
        problems.add(path, _("This field is required."))
    elif len(text) > most:
        problems.add(
            path,
            _("At most %(max)s characters; this has %(n)s.") % {"max": most, "n": len(text)},
        )
    return text


def _whole(
    problems: _Problems, path: str, value: Any, least: int, most: int, *, required: bool
) -> int | None:
    if value is None or value == "":
        if required:
            problems.add(path, _("This field is required."))
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float | str):
        problems.add(path, _("Enter a whole number."))
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems.add(path, _("Enter a whole number."))
        return None
    if number != number.to_integral_value():
        problems.add(path, _("Enter a whole number."))
        return None
    if not least <= number <= most:
        problems.add(
            path, _("Enter a number from %(least)s to %(most)s.") % {"least": least, "most": most}
        )
        return None
    return int(number)


def _figure(problems: _Problems, path: str, value: Any) -> Decimal | None:
    if value is None or value == "":
        problems.add(path, _("This field is required."))
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    if isinstance(value, bool) or not number.is_finite():
        problems.add(path, _("Enter a number."))
        return None
    if abs(number) >= FIGURE_MAX:
        problems.add(path, _("The number is too large."))
        return None
    return number.quantize(Decimal("0.01"))


def _keys(
    problems: _Problems, section: str, items: Sequence[Mapping[str, Any]], names: Sequence[str]
) -> list[str]:
    """Each item's stable key: the one given, else made from its name, unique in the list."""
    given = [str(item.get("key") or "").strip() for item in items]
    keys: list[str] = []
    for i, key in enumerate(given):
        if key:
            if slugify(key) != key or len(key) > 60:
                problems.add(
                    f"{section}[{i}].key", _("A key is lowercase letters, digits and hyphens.")
                )
            elif key in keys:
                problems.add(f"{section}[{i}].key", _("This key is already taken in the list."))
            keys.append(key)
            continue
        base = slugify(names[i])[:50].strip("-_") or section.rstrip("s")
        candidate, n = base, 2
        while candidate in keys or candidate in given:
            candidate, n = f"{base}-{n}", n + 1
        keys.append(candidate)
    return keys


def _clean_goals(problems: _Problems, goals: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if len(goals) > limits.GOALS_MAX:
        problems.add(
            "goals",
            _("At most %(max)s goals; this has %(n)s.")
            % {"max": limits.GOALS_MAX, "n": len(goals)},
        )
        return []
    cleaned = []
    for i, goal in enumerate(goals):
        at = f"goals[{i}]"
        due = goal.get("due")
        if not isinstance(due, datetime.date):
            problems.add(f"{at}.due", _("Enter the date by which the goal is to be met."))
        cleaned.append(
            {
                "what": _text(
                    problems, f"{at}.what", goal.get("what"), limits.LINE_MAX, required=True
                ),
                "baseline": _figure(problems, f"{at}.baseline", goal.get("baseline")),
                "target": _figure(problems, f"{at}.target", goal.get("target")),
                "unit": _text(
                    problems, f"{at}.unit", goal.get("unit"), limits.UNIT_MAX, required=True
                ),
                "due": due,
            }
        )
    for item, key in zip(
        cleaned, _keys(problems, "goals", goals, [str(g["what"]) for g in cleaned]), strict=True
    ):
        item["key"] = key
    for i, item in enumerate(cleaned):
        if item["baseline"] is not None and item["baseline"] == item["target"]:
            problems.add(f"goals[{i}].target", _("The target must differ from the baseline."))
    return cleaned


def _clean_criteria(
    problems: _Problems, criteria: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    if not criteria:
        problems.add("criteria", _("Name at least one evaluation criterion."))
        return []
    if len(criteria) > limits.CRITERIA_MAX:
        problems.add(
            "criteria",
            _("At most %(max)s criteria; this has %(n)s.")
            % {"max": limits.CRITERIA_MAX, "n": len(criteria)},
        )
        return []
    cleaned = []
    for i, criterion in enumerate(criteria):
        at = f"criteria[{i}]"
        cleaned.append(
            {
                "name": _text(
                    problems, f"{at}.name", criterion.get("name"), limits.NAME_MAX, required=True
                ),
                "weight": _whole(
                    problems, f"{at}.weight", criterion.get("weight"), 0, 100, required=True
                ),
            }
        )
    for item, key in zip(
        cleaned,
        _keys(problems, "criteria", criteria, [str(c["name"]) for c in cleaned]),
        strict=True,
    ):
        item["key"] = key
    weights = [item["weight"] for item in cleaned]
    problem = (
        weights_problem([int(str(w)) for w in weights])
        if all(weight is not None for weight in weights)
        else None
    )
    if problem is not None:
        problems.add("criteria", problem)
    return cleaned


def _check_parts(
    problems: _Problems,
    agreement: Agreement,
    forum: Forum | None,
    customer_lead: Role | None,
    supplier_lead: Role | None,
) -> None:
    if forum is not None and forum.agreement_id != agreement.pk:
        problems.add("deciding_forum", _("Choose a forum of this agreement."))
    for path, role, side, wrong_side in (
        (
            "customer_lead",
            customer_lead,
            RoleSide.CUSTOMER,
            _("Choose a role of the customer's side."),
        ),
        (
            "supplier_lead",
            supplier_lead,
            RoleSide.SUPPLIER,
            _("Choose a role of the supplier's side."),
        ),
    ):
        if role is None:
            continue
        if role.agreement_id != agreement.pk:
            problems.add(path, _("Choose a role of this agreement."))
        elif role.side != side:
            problems.add(path, wrong_side)


def _funding(
    problems: _Problems, agreement: Agreement, funding: str, values: Mapping[str, Any]
) -> dict[str, Any]:
    """The funding fields the model uses; the others are emptied."""
    out: dict[str, Any] = {
        "customer_contribution": None,
        "supplier_contribution": None,
        "customer_share": None,
        "supplier_share": None,
        "gain_share_months": None,
        "gain_share_from": None,
    }
    if funding not in Funding.values:
        problems.add("funding", _("Choose how innovation is funded."))
        return out
    if funding == Funding.JOINT_FUND:
        for name in ("customer_contribution", "supplier_contribution"):
            out[name] = _whole(
                problems, name, values.get(name), 0, limits.AMOUNT_MAX, required=True
            )
        if out["customer_contribution"] == 0 and out["supplier_contribution"] == 0:
            problems.add(
                "customer_contribution", _("A fund needs a contribution from at least one party.")
            )
    elif funding == Funding.GAIN_SHARE:
        for name in ("customer_share", "supplier_share"):
            out[name] = _whole(problems, name, values.get(name), 0, 100, required=True)
        if out["customer_share"] is not None and out["supplier_share"] is not None:
            problem = shares_problem(out["customer_share"], out["supplier_share"])
            if problem is not None:
                problems.add("supplier_share", problem)
        out["gain_share_months"] = _whole(
            problems,
            "gain_share_months",
            values.get("gain_share_months"),
            1,
            limits.GAIN_SHARE_MONTHS_MAX,
            required=True,
        )
        start = values.get("gain_share_from") or agreement.start_date
        if not isinstance(start, datetime.date):
            problems.add(
                "gain_share_from",
                _("Enter the date the gain-share starts (the agreement has no start date)."),
            )
        out["gain_share_from"] = start
    return out


def _replace_parts(
    framework: Framework,
    model: type[Goal] | type[Criterion],
    items: list[dict[str, Any]],
) -> None:
    """Make the framework's goals (or criteria) these, keeping each existing key's row."""
    existing = {part.key: part for part in model.objects.filter(framework=framework)}
    keep = {item["key"] for item in items}
    for key, part in existing.items():
        if key not in keep:
            part.delete()
    for position, item in enumerate(items):
        part = existing.get(item["key"]) or model(
            framework=framework, agreement=framework.agreement
        )
        changed = part.pk is None or part.position != position
        for field, value in item.items():
            if getattr(part, field) != value:
                setattr(part, field, value)
                changed = True
        part.position = position
        if changed:
            part.full_clean(exclude=["framework", "agreement"])
            part.save()


@transaction.atomic
def framework_save(
    *,
    agreement: Agreement,
    actor: User | None,
    version: int | None,
    goals: Sequence[Mapping[str, Any]],
    criteria: Sequence[Mapping[str, Any]],
    deciding_forum: Forum | None,
    customer_lead: Role | None,
    supplier_lead: Role | None,
    improvement_line: str,
    ideas_per_quarter: int | None,
    review_cadence: str,
    funding: str,
    **funding_fields: Any,
) -> Framework:
    """Make the agreement's innovation framework what is given, whole, and return it.

    ``goals``: ``[{key?, what, baseline, target, unit, due}]``; ``criteria``:
    ``[{key?, name, weight}]`` with weights adding up to 100. A part keeps its row (and
    its history) when its key is given again; a part without a key gets one from its
    name. ``funding_fields`` are those of the ``funding`` chosen (``customer_contribution``
    and ``supplier_contribution`` in whole SEK a year; ``customer_share`` and
    ``supplier_share`` in percent, ``gain_share_months`` and ``gain_share_from``, the
    agreement's start when not given); the others are emptied. Everything is checked
    before anything is written.
    """
    unknown = set(funding_fields) - {
        "customer_contribution",
        "supplier_contribution",
        "customer_share",
        "supplier_share",
        "gain_share_months",
        "gain_share_from",
    }
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    problems = _Problems()
    clean_goals = _clean_goals(problems, goals)
    clean_criteria = _clean_criteria(problems, criteria)
    _check_parts(problems, agreement, deciding_forum, customer_lead, supplier_lead)
    try:
        line = text_within(improvement_line, "improvement_line")
    except ValidationError as exc:
        for message in exc.message_dict["improvement_line"]:
            problems.add("improvement_line", message)
        line = ""
    rate = _whole(
        problems,
        "ideas_per_quarter",
        ideas_per_quarter,
        0,
        limits.IDEAS_PER_QUARTER_MAX,
        required=False,
    )
    if review_cadence not in ("", *Cadence.values):
        problems.add("review_cadence", _("Choose how often the framework is reviewed."))
    money = _funding(problems, agreement, funding, funding_fields)
    problems.raise_any()

    framework = Framework.objects.filter(agreement=agreement).first()
    if framework is None:
        if version not in (None, 0):
            raise StaleEditError
        framework = Framework(agreement=agreement)
    else:
        claimed = Framework.objects.filter(pk=framework.pk)
        if version is not None:
            claimed = claimed.filter(version=version)
        if not claimed.update(version=F("version") + 1):
            raise StaleEditError
        framework.refresh_from_db(fields=["version"])
    framework.deciding_forum = deciding_forum
    framework.customer_lead = customer_lead
    framework.supplier_lead = supplier_lead
    framework.improvement_line = line
    framework.ideas_per_quarter = rate
    framework.review_cadence = review_cadence
    framework.funding = funding
    for field, value in money.items():
        setattr(framework, field, value)
    framework.full_clean(exclude=["agreement"])
    framework.save()
    _replace_parts(framework, Goal, clean_goals)
    _replace_parts(framework, Criterion, clean_criteria)
    return framework


@transaction.atomic
def framework_remove(*, agreement: Agreement, actor: User | None) -> None:
    """Remove the agreement's framework with its goals and criteria (an import replacing
    the agreement with a file whose ``innovation`` is null)."""
    framework = Framework.objects.filter(agreement=agreement).first()
    if framework is not None:
        Goal.objects.filter(framework=framework).delete()
        Criterion.objects.filter(framework=framework).delete()
        framework.delete()


def default_criteria(agreement: Agreement) -> list[dict[str, Any]]:
    """The criteria a new framework starts from, in the agreement's language."""
    return catalogue.default_criteria(agreement.language or "sv")
